package dev.workflowthread.internal;

import dev.workflowthread.ActionType;
import dev.workflowthread.Delivery;
import dev.workflowthread.Message;
import dev.workflowthread.MessageType;
import dev.workflowthread.StopReason;
import dev.workflowthread.spi.NewMessage;
import dev.workflowthread.spi.OpenMessage;
import dev.workflowthread.spi.StoreChange;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The armed stop tokens of this JVM's guards, by workflow, and what fires them. A message sent in
 * this JVM fires them at once, from what was stored; a change heard from another process (or the
 * store's poll) makes one background thread read the workflow's open messages once, and fire the
 * tokens an open cancel, redirect or urgent message is news to. A workflow nobody holds an armed
 * token for costs nothing.
 */
final class StopTokens {
    private static final Logger LOG = LoggerFactory.getLogger(StopTokens.class);
    /** The metadata key of the thread's "Interrupting ..." notice: the urgent message's id. */
    static final String INTERRUPTED_BY = "interruptedBy";

    private final ThreadCore core;
    /**
     * Held weakly: a guard holds its step's token, so the token of a guard the garbage collector
     * cleared (never closed) is let go of with it, thread and callbacks included.
     */
    private final ConcurrentHashMap<Long, Set<StepToken>> armed = new ConcurrentHashMap<>();
    /** Workflows with a read scheduled and not begun: changes while one waits need no second read. */
    private final Set<Long> scheduled = ConcurrentHashMap.newKeySet();
    private final Object executorLock = new Object();
    private ExecutorService executor;
    private volatile boolean closed;

    StopTokens(ThreadCore core) {
        this.core = core;
    }

    void arm(StepToken token) {
        armed.compute(token.workflowId(), (id, tokens) -> {
            Set<StepToken> set = tokens == null
                    ? java.util.Collections.synchronizedSet(java.util.Collections.newSetFromMap(new java.util.WeakHashMap<>()))
                    : tokens;
            set.add(token);
            return set;
        });
    }

    void disarm(StepToken token) {
        armed.computeIfPresent(token.workflowId(), (id, tokens) -> {
            tokens.remove(token);
            return tokens.isEmpty() ? null : tokens;
        });
    }

    /** The armed tokens of a workflow, a copy; forgets the workflow once none is left. */
    private List<StepToken> armedFor(long workflowId) {
        Set<StepToken> tokens = armed.get(workflowId);
        if (tokens == null) {
            return List.of();
        }
        List<StepToken> copy;
        synchronized (tokens) {
            copy = new java.util.ArrayList<>(tokens);
        }
        if (copy.isEmpty()) {
            armed.computeIfPresent(workflowId, (id, set) -> set.isEmpty() ? null : set);
        }
        return copy;
    }

    /** A change of a workflow, heard from the store: a person's message or a state change. */
    void onChange(StoreChange change) {
        if (!armed.containsKey(change.workflowId())) {
            return;
        }
        if (change.finished()) {
            fireAll(change.workflowId(), new StopReason(StopReason.Kind.WORKFLOW_FINISHED, null));
            return;
        }
        schedule(change.workflowId());
    }

    /** A person's message this JVM just stored: fires the tokens it is news to, without a read. */
    void onSent(Message sent) {
        StopReason reason = reasonOf(sent);
        if (reason == null || !sent.actionStatus().isOpen() || !armed.containsKey(sent.workflowId())) {
            return;
        }
        for (StepToken token : armedFor(sent.workflowId())) {
            if (sent.seq() > token.afterSeq()) {
                fired(token, reason, sent);
            }
        }
    }

    /** What a person's message fires a token for, or null when it lets the step finish. */
    static StopReason reasonOf(Message message) {
        if (message.messageType() != MessageType.USER) {
            return null;
        }
        return switch (message.actionType()) {
            case CANCEL -> new StopReason(StopReason.Kind.CANCEL, message.id());
            case REDIRECT -> new StopReason(StopReason.Kind.REDIRECT, message.id());
            case COMMENT, INSTRUCTION -> Delivery.of(message) == Delivery.INTERRUPT
                    ? new StopReason(StopReason.Kind.URGENT_MESSAGE, message.id()) : null;
            default -> null;
        };
    }

    private void fireAll(long workflowId, StopReason reason) {
        armedFor(workflowId).forEach(token -> token.fire(reason));
    }

    private void fired(StepToken token, StopReason reason, Message source) {
        if (token.fire(reason) && reason.kind() == StopReason.Kind.URGENT_MESSAGE) {
            run(() -> announce(token, source));
        }
    }

    /**
     * Says in the thread that the agent is being interrupted, once per message and agent however
     * many guards of however many processes fire for it (the notice is keyed by both).
     */
    private void announce(StepToken token, Message urgent) {
        String agent = token.agentType();
        String what = urgent.actionType() == ActionType.INSTRUCTION ? "instruction" : "comment";
        String content = agent == null ? "Interrupting the agent for an urgent " + what
                : "Interrupting " + agent + " agent for an urgent " + what;
        NewMessage notice = new NewMessage(null, MessageType.SYSTEM, null, content,
                Map.of(INTERRUPTED_BY, urgent.id()), ActionType.COMMENT, dev.workflowthread.ActionStatus.PROCESSED,
                core.now(), null, Validation.libraryKey("interrupt:" + urgent.id() + ":" + (agent == null ? "" : agent)));
        core.append(urgent.workflowId(), notice);
    }

    /** Looks at the workflow's open messages once more, for a token armed after they may have come. */
    void recheck(long workflowId) {
        schedule(workflowId);
    }

    private void schedule(long workflowId) {
        if (scheduled.add(workflowId)) {
            run(() -> {
                scheduled.remove(workflowId);
                evaluate(workflowId);
            });
        }
    }

    /** Reads the open messages once and fires each armed token that one of them is news to. */
    private void evaluate(long workflowId) {
        List<StepToken> tokens = armedFor(workflowId);
        if (tokens.isEmpty()) {
            return;
        }
        List<OpenMessage> open = core.allOpen(workflowId);
        Instant now = core.now();
        for (OpenMessage candidate : open) {
            Message message = candidate.message();
            StopReason reason = reasonOf(message);
            if (reason == null) {
                continue;
            }
            for (StepToken token : tokens) {
                // A message this token's guard took (an urgent instruction handed over and not yet
                // answered, read after the scan's lastSeq) fires none of its later steps. Taken by
                // another guard, perhaps in another process before this one heard of it, it is
                // still news to a step that began before it came.
                boolean takenByItsGuard = !message.actionType().isControl() && candidate.isLeasedAt(now)
                        && token.owner().equals(candidate.leaseOwner());
                if (message.seq() > token.afterSeq() && !takenByItsGuard) {
                    fired(token, reason, message);
                }
            }
        }
    }

    private void run(Runnable task) {
        ExecutorService service = executor();
        if (service == null) {
            return;
        }
        try {
            service.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    // The next change tries again, and the next check() acts on the message anyway.
                    LOG.warn("firing stop tokens failed; the agents' next checkpoints act on the messages", e);
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("stop tokens are closed", e);
        }
    }

    private ExecutorService executor() {
        synchronized (executorLock) {
            if (closed) {
                return null;
            }
            if (executor == null) {
                executor = Executors.newSingleThreadExecutor(r -> {
                    Thread thread = new Thread(r, "workflow-thread-stop-tokens");
                    thread.setDaemon(true);
                    return thread;
                });
            }
            return executor;
        }
    }

    void close() {
        synchronized (executorLock) {
            closed = true;
            if (executor != null) {
                executor.shutdownNow();
            }
        }
        // The steps in progress are told: nothing will fire their tokens any more.
        StopReason closing = new StopReason(StopReason.Kind.SERVICE_CLOSED, null);
        for (Long workflowId : List.copyOf(armed.keySet())) {
            armedFor(workflowId).forEach(token -> token.fire(closing));
        }
        armed.clear();
    }
}
