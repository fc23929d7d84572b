package dev.workflowthread.internal;

import dev.workflowthread.InvalidMessageException;
import dev.workflowthread.Message;
import dev.workflowthread.WorkflowNotFoundException;
import dev.workflowthread.WorkflowState;
import dev.workflowthread.WorkflowThreadConfig;
import dev.workflowthread.WorkflowThreadException;
import dev.workflowthread.WorkflowThreadObserver;
import dev.workflowthread.spi.Commit;
import dev.workflowthread.spi.CommitResult;
import dev.workflowthread.spi.NewMessage;
import dev.workflowthread.spi.OpenMessage;
import dev.workflowthread.spi.ThreadStore;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * What the service and its checkpoint guards share: the store, the clock, validation, whether the
 * service is open and whether the store hears other processes, and the one compare-and-set loop
 * every state-changing write goes through. What a write commits is decided by {@link Transitions}.
 */
final class ThreadCore {
    /** How many times a write tries its compare-and-set commit, losing races to other writers, before it gives up. */
    static final int MAX_COMPARE_AND_SET_ATTEMPTS = 10_000;
    static final int OPEN_PAGE = 500;

    private final ThreadStore store;
    private final WorkflowThreadConfig config;
    private final Validation validation;
    private final WorkflowThreadObserver observer;
    private final ConcurrentHashMap<Long, RedirectCall> redirectCalls = new ConcurrentHashMap<>();
    private final StopTokens stopTokens = new StopTokens(this);
    /** Whether the store hears other processes' commits now; while it does not, checkpoints poll. */
    private volatile boolean hearingOthers;
    /** Counts the times hearing was lost: a quiet checkpoint that sees it move looks at the store. */
    private final AtomicLong hearingLosses = new AtomicLong();
    private volatile boolean closed;

    ThreadCore(ThreadStore store, WorkflowThreadConfig config) {
        this.store = store;
        this.config = config;
        this.validation = new Validation(config.maxContentBytes());
        this.observer = Observers.guarded(config.observer());
        this.hearingOthers = store.notifiesAllChanges();
    }

    ThreadStore store() {
        return store;
    }

    /** The armed stop tokens of this JVM's guards. */
    StopTokens stopTokens() {
        return stopTokens;
    }

    WorkflowThreadConfig config() {
        return config;
    }

    Validation validation() {
        return validation;
    }

    /** The configured observer, guarded: what it throws is logged, never passed on. */
    WorkflowThreadObserver observer() {
        return observer;
    }

    /** The time from {@code message}'s creation until now, for the observer. */
    java.time.Duration since(Instant then) {
        java.time.Duration elapsed = java.time.Duration.between(then, now());
        return elapsed.isNegative() ? java.time.Duration.ZERO : elapsed;
    }

    Instant now() {
        return config.clock().instant().truncatedTo(ChronoUnit.MILLIS);
    }

    // ---- open or closed ----

    /** Refuses use after {@link #close()}: its checkpoints would no longer hear of changes. */
    void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("this WorkflowMessages is closed");
        }
    }

    /** Whether this is the first call. */
    boolean close() {
        if (closed) {
            return false;
        }
        closed = true;
        stopTokens.close();
        return true;
    }

    // ---- hearing other processes ----

    /**
     * Whether checkpoints may trust the store to tell them of every change now, rather than look at
     * the store every poll interval.
     */
    boolean hearingOthers() {
        return hearingOthers;
    }

    /** Moves each time the store loses hearing of other processes. */
    long hearingLosses() {
        return hearingLosses.get();
    }

    void hearingLost() {
        hearingOthers = false;
        hearingLosses.incrementAndGet();
    }

    void hearingRestored() {
        hearingOthers = store.notifiesAllChanges();
    }

    // ---- reading ----

    WorkflowState requireState(long workflowId) {
        ensureOpen();
        return store.findState(workflowId).orElseThrow(() -> new WorkflowNotFoundException(workflowId));
    }

    /** Every open user message of the workflow, ascending. */
    List<OpenMessage> allOpen(long workflowId) {
        List<OpenMessage> all = new ArrayList<>();
        long after = 0;
        while (true) {
            List<OpenMessage> page = store.findOpenUserMessages(workflowId, after, OPEN_PAGE);
            all.addAll(page);
            if (page.size() < OPEN_PAGE) {
                return all;
            }
            after = page.get(page.size() - 1).message().seq();
        }
    }

    // ---- writing ----

    /**
     * The compare-and-set loop: {@code attempt} decides a commit from the workflow's state (or
     * throws, or returns null when there is nothing to commit); a commit lost to another writer is
     * decided again from the state the store returned with the conflict.
     *
     * @param state the state the first attempt decides from
     * @return the result that ended the loop: committed, replayed, or a conflict at the attempt's
     *         version, which means a required resolution failed (the message is no longer open, or
     *         no longer held by this guard) or, with the state unchanged, that there was nothing to
     *         commit
     */
    CommitResult retry(String what, WorkflowState state, Function<WorkflowState, Commit> attempt) {
        WorkflowState current = state;
        for (int i = 0; i < MAX_COMPARE_AND_SET_ATTEMPTS; i++) {
            Commit commit = attempt.apply(current);
            if (commit == null) {
                return CommitResult.conflict(current);
            }
            CommitResult result = store.commit(commit);
            if (result.committed() || result.replayed() || result.state().version() == current.version()) {
                return result;
            }
            current = result.state();
        }
        throw new WorkflowThreadException(what + " gave up after " + MAX_COMPARE_AND_SET_ATTEMPTS
                + " attempts that each lost a race with another writer");
    }

    /**
     * Appends an agent or system message; with an idempotency key already stored, returns the
     * message stored under it (refusing one that is not the same message).
     */
    Message append(long workflowId, NewMessage message) {
        // The commit throws WorkflowNotFoundException for a workflow without a thread (ThreadStore's
        // contract), so a read of the state first would only cost a round trip per comment.
        CommitResult result = store.commit(Commit.append(workflowId, message));
        Message stored = result.appended().get(0);
        if (result.replayed()) {
            requireSame(message, stored);
        }
        return stored;
    }

    /** A replay must be of the same message: the same key for another one is a mistake of the caller's. */
    static void requireSame(NewMessage asked, Message stored) {
        List<String> differing = new ArrayList<>();
        if (asked.messageType() != stored.messageType()) {
            differing.add("message_type");
        }
        if (!asked.content().equals(stored.content())) {
            differing.add("content");
        }
        if (asked.actionType() != stored.actionType()) {
            differing.add("action_type");
        }
        // Both normalised as MetadataCodec keeps them, so equal JSON is equal maps.
        if (!Objects.equals(asked.metadata(), stored.metadata())) {
            differing.add("metadata");
        }
        if (!Objects.equals(asked.author(), stored.author())) {
            differing.add("author");
        }
        if (!Objects.equals(asked.agentType(), stored.agentType())) {
            differing.add("agent_type");
        }
        if (!differing.isEmpty()) {
            throw new InvalidMessageException("idempotency_key", InvalidMessageException.Reason.KEY_REUSED, "idempotency_key " + asked.idempotencyKey()
                    + " was used for message " + stored.id() + " whose " + String.join(", ", differing)
                    + " differ; a retry must send the same message, a new message a new key");
        }
    }

    // ---- redirect handler calls, one per redirect message in this process ----

    /** The handler call for a redirect message, made by {@code guard} unless another one made it first. */
    RedirectCall redirectCall(long messageId, String guard) {
        return redirectCalls.computeIfAbsent(messageId, id -> new RedirectCall(guard));
    }

    void forgetRedirectCall(long messageId, RedirectCall call) {
        redirectCalls.remove(messageId, call);
    }
}
