package dev.workflowthread.internal;

import dev.workflowthread.ActionStatus;
import dev.workflowthread.Answer;
import dev.workflowthread.QuestionTimeout;
import dev.workflowthread.StopToken;
import dev.workflowthread.ActionType;
import dev.workflowthread.AgentNarrator;
import dev.workflowthread.Checkpoint;
import dev.workflowthread.CheckpointGuard;
import dev.workflowthread.InvalidMessageException;
import dev.workflowthread.Message;
import dev.workflowthread.OutcomeUnknownException;
import dev.workflowthread.PauseTimeoutOutcome;
import dev.workflowthread.MessageType;
import dev.workflowthread.RedirectRequest;
import dev.workflowthread.WorkflowCancelledException;
import dev.workflowthread.WorkflowRedirectedException;
import dev.workflowthread.WorkflowState;
import dev.workflowthread.WorkflowStatus;
import dev.workflowthread.WorkflowStoppedException;
import dev.workflowthread.WorkflowThreadConfig;
import dev.workflowthread.spi.Commit;
import dev.workflowthread.spi.CommitResult;
import dev.workflowthread.spi.NewMessage;
import dev.workflowthread.spi.OpenMessage;
import dev.workflowthread.spi.Resolution;
import dev.workflowthread.spi.ThreadStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checkpoint of one agent loop. Control messages are applied strictly in {@code seq} order:
 * a guard takes the oldest open control message under a lease and commits its effect together
 * with closing it, under compare-and-set of the state version; a control message another guard
 * holds stops the scan until that guard is done. Comments and instructions are handed over in
 * {@code seq} order among themselves.
 *
 * <p>Not thread-safe: one loop at a time, as the interface says.
 */
final class DefaultCheckpointGuard implements CheckpointGuard {
    private static final Logger LOG = LoggerFactory.getLogger(DefaultCheckpointGuard.class);
    static final long MIN_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final ThreadCore core;
    private final ThreadStore store;
    private final WorkflowThreadConfig config;
    private final Clock clock;
    private final long workflowId;
    private final WorkflowSignal signal;
    private final String owner = "guard-" + UUID.randomUUID();

    /** The state version the last full scan saw; the quiet path compares the signal with it. */
    private long seenVersion = -1;
    /** Until when (clock millis) the quiet path may answer without a scan. */
    private long quietUntilMillis;
    /** The core's count of the store's hearing losses at the last full scan. */
    private long seenHearingLosses;
    /** The agent of the last {@link #agentStarting}, for replies to instructions. */
    /** Volatile: a stop token reads it from the thread that fires it. */
    private volatile String currentAgentType;
    private Instant nextHeartbeat;
    /**
     * Messages this guard tried to claim when the store could not say whether the claim was
     * stored: found leased to this guard later, they are handed over then, not left to the lease.
     */
    private final java.util.Set<Long> claimsInDoubt = new java.util.HashSet<>();
    /** The stop token of the step in progress, once the agent asked for it. */
    private StepToken token;
    private boolean interruptOnStop;
    /** The last scan's {@code lastSeq}: a new token fires only for messages after it. */
    private long lastReadSeq;
    /** Between agentStarting and agentCompleted: {@code next_agent} messages wait. */
    private boolean agentRunning;
    /** Messages the last scan left for later (held for the next agent), or answers to questions. */
    private final java.util.Set<Long> notHandedOver = new java.util.HashSet<>();
    /** Whether the last scan held a message for the next agent. */
    private boolean heldForNextAgent;

    /** Lets go of the signal, once. */
    private final Runnable release;
    private boolean closed;

    DefaultCheckpointGuard(ThreadCore core, long workflowId, WorkflowSignal signal, Runnable release) {
        this.release = release;
        this.core = core;
        this.store = core.store();
        this.config = core.config();
        this.clock = config.clock();
        this.workflowId = workflowId;
        this.signal = signal;
    }

    @Override
    public long workflowId() {
        return workflowId;
    }

    @Override
    public Checkpoint check() throws InterruptedException {
        StepToken step = token;
        if ((step == null || !step.isStopRequested()) && signal.version() == seenVersion && core.hearingLosses() == seenHearingLosses
                && (quietUntilMillis == Long.MAX_VALUE || clock.millis() < quietUntilMillis)) {
            return Checkpoint.EMPTY;
        }
        return scan();
    }

    private Checkpoint scan() throws InterruptedException {
        ensureNotClosed();
        endStep();
        boolean waited = false;
        boolean waitedForAnother = false;
        while (true) {
            core.ensureOpen();
            long signalBefore = signal.version();
            // Read before the state: a loss of hearing after this makes the next check scan again.
            long hearingLossesBefore = core.hearingLosses();
            boolean hearing = core.hearingOthers();
            WorkflowState state = core.requireState(workflowId);
            if (state.isFinished()) {
                throw stopped(state);
            }
            long lastSeqBeforeReading = state.lastSeq();
            // The open messages are read after this version: anything sent later has a higher
            // one. So this, and not a version seen after our own commits, is what the quiet path
            // may trust; our own commits only cost one more scan.
            long versionBeforeReading = state.version();
            // A change that landed before this guard's signal existed was heard by nobody.
            signal.advance(versionBeforeReading);
            List<OpenMessage> open = core.allOpen(workflowId);
            Controls controls = applyControls(state, open);
            state = controls.state();
            if (state.paused()) {
                waited = true;
                waitWhilePaused(state, signalBefore);
                continue;
            }
            if (controls.busy()) {
                // Another checkpoint is applying an older control message: wait for its commit.
                signal.await(signalBefore, config.pausedCheckInterval().toNanos(), TimeUnit.NANOSECONDS);
                waitedForAnother = true;
                continue;
            }
            if (signal.version() != signalBefore || waitedForAnother) {
                // Something committed while we read: another checkpoint may have finished the
                // workflow between our state read and our read of the open messages. After
                // waiting for another checkpoint, read again even without a signal: its commit
                // may be in the database before this JVM is told of it.
                WorkflowState latest = core.requireState(workflowId);
                if (latest.isFinished()) {
                    throw stopped(latest);
                }
            }
            nextHeartbeat = null;
            Instant now = core.now();
            List<Message> handed = handOver(open, now);
            seenVersion = versionBeforeReading;
            seenHearingLosses = hearingLossesBefore;
            lastReadSeq = lastSeqBeforeReading;
            quietUntilMillis = quietUntil(open, handed, now, hearing);
            String skipTo = null;
            for (Message message : handed) {
                if (message.actionType() == ActionType.INSTRUCTION && message.metadataString(Message.SKIP_TO_AGENT) != null) {
                    skipTo = message.metadataString(Message.SKIP_TO_AGENT);
                }
            }
            return handed.isEmpty() && !waited ? Checkpoint.EMPTY : new Checkpoint(handed, waited, skipTo);
        }
    }

    /** The state after applying, and whether an older control message is held by another guard. */
    record Controls(WorkflowState state, boolean busy) {
    }

    Controls applyControls(WorkflowState state, List<OpenMessage> open) {
        List<OpenMessage> controls = controlsOf(open);
        // Terminal messages first: a cancel wins over everything, then the oldest redirect.
        while (true) {
            OpenMessage terminal = firstOf(controls, ActionType.CANCEL);
            if (terminal == null) {
                terminal = firstOf(controls, ActionType.REDIRECT);
            }
            if (terminal == null) {
                break;
            }
            Optional<Message> claimed = terminal.message().actionType() == ActionType.CANCEL
                    ? unlessHeldByAnother(terminal) : take(terminal);
            if (claimed.isEmpty() || !applyTerminal(claimed.get())) {
                return new Controls(core.requireState(workflowId), true);
            }
            // The redirect failed and was ignored: start over from what is open now.
            state = core.requireState(workflowId);
            if (state.isFinished()) {
                throw stopped(state);
            }
            controls = controlsOf(core.allOpen(workflowId));
        }
        for (OpenMessage control : controls) {
            Optional<Message> claimed = unlessHeldByAnother(control);
            if (claimed.isEmpty()) {
                return new Controls(state, true);
            }
            Optional<WorkflowState> applied = applyPauseOrResume(state, claimed.get());
            if (applied.isEmpty()) {
                return new Controls(core.requireState(workflowId), true);
            }
            state = applied.get();
        }
        return new Controls(state, false);
    }

    private static List<OpenMessage> controlsOf(List<OpenMessage> open) {
        return open.stream().filter(o -> o.message().actionType().isControl()).toList();
    }

    /**
     * Applies a claimed cancel or redirect: throws the stop when it took effect. Returns true when
     * a redirect failed (it is ignored and the workflow goes on), false when another checkpoint
     * has the message (took the lease over, or runs its redirect handler in this JVM).
     */
    private boolean applyTerminal(Message terminal) {
        if (terminal.actionType() == ActionType.CANCEL) {
            finishWith(terminal, Transitions.Ending.cancelled(terminal)).ifPresent(finished -> {
                throw stopped(finished);
            });
            return false;
        }
        return applyRedirect(terminal);
    }

    private static OpenMessage firstOf(List<OpenMessage> controls, ActionType type) {
        for (OpenMessage control : controls) {
            if (control.message().actionType() == type) {
                return control;
            }
        }
        return null;
    }

    /**
     * A pause, resume or cancel, unless another guard holds it under a live lease. These need no
     * lease of their own: each is applied by one commit that compare-and-sets the state and closes
     * the message only while it is open, so it takes effect once however many guards try, and a
     * claim would cost one more transaction on the way from the person to the agent.
     */
    private Optional<Message> unlessHeldByAnother(OpenMessage open) {
        if (open.isLeasedAt(core.now()) && !owner.equals(open.leaseOwner())) {
            return Optional.empty();
        }
        return Optional.of(open.message());
    }

    /** Claims the message unless another guard holds it under a live lease. */
    private Optional<Message> take(OpenMessage open) {
        Instant now = core.now();
        if (open.isLeasedAt(now)) {
            return owner.equals(open.leaseOwner()) ? Optional.of(open.message()) : Optional.empty();
        }
        return store.claim(open.message().id(), owner, now, now.plus(config.leaseDuration()));
    }

    /** Applies a pause or resume; empty when another guard applied it or holds it first. */
    private Optional<WorkflowState> applyPauseOrResume(WorkflowState state, Message control) {
        if (control.actionType() != ActionType.PAUSE && control.actionType() != ActionType.RESUME) {
            throw new IllegalStateException("not a pause or resume: message " + control.id());
        }
        Commit[] applied = new Commit[1];
        WorkflowState[] before = new WorkflowState[1];
        CommitResult result = core.retry("applying message " + control.id(), state, current -> {
            if (current.isFinished()) {
                throw stopped(current);
            }
            before[0] = current;
            applied[0] = Transitions.pauseOrResume(current, control, core.now());
            return applied[0];
        });
        if (!result.committed()) {
            return Optional.empty();
        }
        observeApplied(control, applied[0].resolutions().get(0).outcome(), before[0], result.state());
        return Optional.of(result.state());
    }

    /**
     * Runs the host's handler once per redirect message in this JVM and records the redirect:
     * throws the stop when it took effect. Returns true when it failed (then it is ignored and the
     * workflow goes on), false when another checkpoint of this JVM is calling the handler for it
     * or took the lease over.
     */
    private boolean applyRedirect(Message redirect) {
        String task = redirect.newTaskDescription();
        RedirectCall call = core.redirectCall(redirect.id(), owner);
        if (!call.isDone() && !call.isOwnedBy(owner)) {
            return false;
        }
        try {
            return recordRedirect(redirect, task, call);
        } finally {
            if (!call.isDone()) {
                // This checkpoint left before the handler finished (a failing store, an Error):
                // let the next holder of the lease make the call.
                core.forgetRedirectCall(redirect.id(), call);
            }
        }
    }

    private boolean recordRedirect(Message redirect, String task, RedirectCall call) {
        long newWorkflowId;
        try {
            if (!call.isDone()) {
                if (config.redirectHandler() == null) {
                    throw new IllegalStateException("no RedirectHandler is configured in this process");
                }
                announceRedirect(redirect);
                call.complete(() -> config.redirectHandler().createWorkflow(new RedirectRequest(workflowId,
                        redirect.id(), task, redirect.content(), redirect.metadata(), redirect.author())));
            }
            newWorkflowId = call.newWorkflowId();
            if (newWorkflowId == workflowId || newWorkflowId <= 0) {
                throw new IllegalStateException("the RedirectHandler returned workflow id " + newWorkflowId);
            }
        } catch (WorkflowStoppedException stop) {
            throw stop; // the workflow finished before the host was asked: nothing to record
        } catch (RuntimeException e) {
            LOG.warn("redirect of workflow {} (message {}) failed; the workflow goes on", workflowId, redirect.id(), e);
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            boolean recorded = store.commit(Transitions.redirectFailed(redirect, owner, why, core.now())).committed();
            if (recorded) {
                core.forgetRedirectCall(redirect.id(), call);
                core.observer().messageApplied(workflowId, ActionType.REDIRECT, ActionStatus.IGNORED,
                        core.since(redirect.createdAt()));
                return true;
            }
            // Another checkpoint holds the lease now; it records this same failure from the call.
            return false;
        }
        Optional<WorkflowState> finished = finishWith(redirect, Transitions.Ending.redirected(newWorkflowId, task));
        if (finished.isEmpty()) {
            // Another checkpoint took the lease over; it records the redirect with this call's result.
            return false;
        }
        core.forgetRedirectCall(redirect.id(), call);
        WorkflowState end = finished.get();
        if (end.status() == WorkflowStatus.REDIRECTED && Long.valueOf(newWorkflowId).equals(end.redirectedTo())) {
            startReplacement(newWorkflowId);
        }
        throw stopped(end);
    }

    /**
     * Writes "Creating new workflow..." while the workflow is still unfinished (compare-and-set on
     * its version), so that a cancel that won the race leaves no word of a redirect after it and
     * the host's handler is not called. Throws the stop when the workflow finished first.
     */
    private void announceRedirect(Message redirect) {
        core.retry("announcing redirect message " + redirect.id(), core.requireState(workflowId), state -> {
            if (state.isFinished()) {
                throw stopped(state);
            }
            return Transitions.announceRedirect(state, redirect, core.now());
        });
    }

    /**
     * Starts the thread of the workflow that replaces this one, once the redirect is recorded. The
     * host starts it too when it runs that workflow, so a failure here is only logged.
     */
    private void startReplacement(long newWorkflowId) {
        try {
            store.createIfAbsent(newWorkflowId, core.now());
        } catch (RuntimeException e) {
            LOG.warn("workflow {} was redirected to {}, whose thread could not be started yet; the host's start()"
                    + " starts it", workflowId, newWorkflowId, e);
        }
    }

    /**
     * Commits a terminal control message: the workflow finishes, the message is processed and
     * every other open user message is ignored (a cancel wins over everything still pending).
     * Empty when this guard's lease was taken over by another guard.
     */
    private Optional<WorkflowState> finishWith(Message control, Transitions.Ending ending) {
        WorkflowState[] before = new WorkflowState[1];
        CommitResult result = core.retry("applying message " + control.id(), core.requireState(workflowId),
                state -> {
                    before[0] = state;
                    return state.isFinished() ? null
                            : Transitions.finish(state, ending, control, owner, core.allOpen(workflowId), core.now());
                });
        if (result.committed()) {
            observeApplied(control, ActionStatus.PROCESSED, before[0], result.state());
        }
        // Finished by this commit, or before it; otherwise the lease was taken over.
        return result.committed() || result.state().isFinished() ? Optional.of(result.state()) : Optional.empty();
    }

    private void waitWhilePaused(WorkflowState state, long signalBefore) throws InterruptedException {
        Instant now = core.now();
        Instant pausedAt = state.pausedAt() == null ? now : state.pausedAt();
        Instant deadline = pausedAt.plus(config.pauseTimeout());
        if (!now.isBefore(deadline)) {
            onPauseTimeout(state);
            return;
        }
        if (nextHeartbeat == null || !now.isBefore(nextHeartbeat)) {
            LOG.info("workflow {} paused since {} ({}); waiting for resume, cancel or redirect until {}",
                    workflowId, pausedAt, state.pauseReason() == null ? "no reason given" : state.pauseReason(),
                    deadline);
            nextHeartbeat = now.plus(config.heartbeatInterval());
        }
        // pausedCheckInterval is at most WorkflowThreadConfig.MAX_DURATION, so none of these overflow.
        long nanos = Math.min(config.pausedCheckInterval().toNanos(),
                Math.min(nanosUntil(now, deadline), nanosUntil(now, nextHeartbeat)));
        signal.await(signalBefore, Math.max(MIN_WAIT_NANOS, nanos), TimeUnit.NANOSECONDS);
    }

    static long nanosUntil(Instant now, Instant later) {
        Duration left = Duration.between(now, later);
        return left.compareTo(WorkflowThreadConfig.MAX_DURATION) > 0 ? WorkflowThreadConfig.MAX_DURATION.toNanos()
                : left.toNanos();
    }

    private void onPauseTimeout(WorkflowState state) {
        Instant now = core.now();
        Commit commit = config.pauseTimeoutOutcome() == PauseTimeoutOutcome.RESUME
                ? Transitions.resumeAfterPause(state, config, now)
                : Transitions.finish(state, Transitions.Ending.afterPause(config), null, null,
                core.allOpen(workflowId), now);
        LOG.warn("workflow {} was paused for longer than {}: {}", workflowId, SystemMessages.inWords(config.pauseTimeout()),
                config.pauseTimeoutOutcome().name().toLowerCase(java.util.Locale.ROOT));
        core.observer().pauseTimedOut(workflowId, config.pauseTimeoutOutcome());
        CommitResult result = store.commit(commit);
        if (result.committed()) {
            observePauseEnded(state, result.state());
        }
        if (result.committed() && result.state().isFinished()) {
            throw stopped(result.state());
        }
        // Committed a resume, or lost a race (a resume or cancel came in): the scan goes on.
    }

    private List<Message> handOver(List<OpenMessage> open, Instant now) {
        List<Message> handed = new ArrayList<>();
        notHandedOver.clear();
        heldForNextAgent = false;
        for (OpenMessage candidate : open) {
            Message message = candidate.message();
            if (!message.actionType().isControl() && notForThisStep(message)) {
                notHandedOver.add(message.id());
                continue;
            }
            // A claim of ours whose outcome was unknown, found stored: it is ours to hand over.
            boolean oursInDoubt = owner.equals(candidate.leaseOwner()) && claimsInDoubt.contains(message.id());
            if (message.actionType().isControl() || (candidate.isLeasedAt(now) && !oursInDoubt)) {
                continue;
            }
            Optional<Message> claimed;
            if (oursInDoubt) {
                claimed = Optional.of(message);
            } else {
                try {
                    claimed = store.claim(message.id(), owner, now, now.plus(config.leaseDuration()));
                } catch (OutcomeUnknownException e) {
                    claimsInDoubt.add(message.id());
                    throw e;
                }
            }
            claimsInDoubt.remove(message.id());
            if (claimed.isEmpty()) {
                continue;
            }
            if (message.actionType() == ActionType.COMMENT) {
                boolean closed = store.commit(new Commit(workflowId, Commit.ANY_VERSION, null,
                        List.of(Resolution.ofClaimed(message.id(), owner, ActionStatus.PROCESSED)), List.of())).committed();
                if (closed) {
                    handed.add(claimed.get().withActionStatus(ActionStatus.PROCESSED));
                    core.observer().messageApplied(workflowId, ActionType.COMMENT, ActionStatus.PROCESSED,
                            core.since(message.createdAt()));
                }
            } else {
                handed.add(claimed.get());
                core.observer().messageApplied(workflowId, message.actionType(), ActionStatus.ACKNOWLEDGED,
                        core.since(message.createdAt()));
            }
        }
        return handed;
    }

    /**
     * Whether a person's words are not for this checkpoint to hand over: an answer to a question
     * (the asker takes it), or a message held for the next agent while an agent is at work.
     */
    private boolean notForThisStep(Message message) {
        if (message.inReplyTo() != null) {
            return true;
        }
        if (agentRunning && dev.workflowthread.Delivery.of(message) == dev.workflowthread.Delivery.NEXT_AGENT) {
            heldForNextAgent = true;
            return true;
        }
        return false;
    }

    /** Ends the step in progress: its token fires no more, and an interrupt it caused is cleared. */
    private void endStep() {
        StepToken step = token;
        if (step == null) {
            return;
        }
        token = null;
        core.stopTokens().disarm(step);
        if (step.close()) {
            Thread.interrupted();
        }
    }

    /**
     * How long the quiet path may trust memory: until a lease it saw runs out (a message another
     * checkpoint holds, or took between our read and our claim, comes back then), or the poll
     * interval unless the store hears every change.
     */
    private long quietUntil(List<OpenMessage> open, List<Message> handed, Instant now, boolean storeHearsAll) {
        long until = storeHearsAll ? Long.MAX_VALUE : now.plus(config.pausedCheckInterval()).toEpochMilli();
        java.util.Set<Long> handedIds = new java.util.HashSet<>();
        handed.forEach(m -> handedIds.add(m.id()));
        for (OpenMessage candidate : open) {
            if (candidate.isLeasedAt(now)) {
                until = Math.min(until, candidate.leaseExpiresAt().toEpochMilli());
            } else if (!candidate.message().actionType().isControl() && !handedIds.contains(candidate.message().id())
                    && !notHandedOver.contains(candidate.message().id())) {
                until = Math.min(until, now.plus(config.leaseDuration()).toEpochMilli());
            }
        }
        for (Message message : handed) {
            if (message.actionType() == ActionType.INSTRUCTION) {
                until = Math.min(until, now.plus(config.leaseDuration()).toEpochMilli());
            }
        }
        return until;
    }

    /** Tells the observer that a control message was committed, and of the pause it ended, if any. */
    private void observeApplied(Message control, ActionStatus outcome, WorkflowState before, WorkflowState after) {
        core.observer().messageApplied(workflowId, control.actionType(), outcome, core.since(control.createdAt()));
        observePauseEnded(before, after);
    }

    private void observePauseEnded(WorkflowState before, WorkflowState after) {
        if (before.paused() && !after.paused()) {
            core.observer().pauseEnded(workflowId, before.pausedAt() == null ? Duration.ZERO
                    : core.since(before.pausedAt()));
        }
    }

    WorkflowStoppedException stopped(WorkflowState state) {
        return switch (state.status()) {
            case CANCELLED -> new WorkflowCancelledException(workflowId, state.statusReason());
            case REDIRECTED -> new WorkflowRedirectedException(workflowId,
                    state.redirectedTo() == null ? 0 : state.redirectedTo(), state.statusReason());
            default -> new WorkflowStoppedException(workflowId, state.status(), state.statusReason());
        };
    }

    @Override
    public Message acknowledge(Message handedOver, String reply) {
        InvalidMessageException.requireNonNull("handedOver", handedOver);
        if (handedOver.workflowId() != workflowId) {
            throw new InvalidMessageException("handedOver", InvalidMessageException.Reason.NOT_APPLICABLE, "message " + handedOver.id()
                    + " belongs to workflow " + handedOver.workflowId() + ", not to " + workflowId);
        }
        if (handedOver.messageType() != MessageType.USER) {
            throw new InvalidMessageException("handedOver", InvalidMessageException.Reason.NOT_APPLICABLE, "handedOver is message " + handedOver.id()
                    + ", an " + handedOver.messageType().wireName() + " message; only a person's message is acknowledged");
        }
        Validation validation = core.validation();
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put(SystemMessages.IN_REPLY_TO, handedOver.id());
        // Keyed by this guard and the message, so that a retry (after an outcome unknown) returns
        // the reply already stored instead of posting a second one.
        NewMessage answer = new NewMessage(null, MessageType.AGENT, currentAgentType, validation.text("reply", reply),
                metadata, ActionType.COMMENT, ActionStatus.PROCESSED, core.now(), null,
                acknowledgementKey(handedOver.id()));
        if (handedOver.actionStatus() == ActionStatus.ACKNOWLEDGED) {
            CommitResult result = store.commit(new Commit(workflowId, Commit.ANY_VERSION, null,
                    List.of(Resolution.ofClaimed(handedOver.id(), owner, ActionStatus.PROCESSED)), List.of(answer)));
            if (result.committed() || result.replayed()) {
                return result.appended().get(0);
            }
            LOG.debug("message {} is no longer held by this checkpoint; storing the reply only", handedOver.id());
        }
        // Not held by this guard: a reply only, to a message that must be what the caller says it is.
        Message stored = store.findMessage(handedOver.id()).orElse(null);
        if (stored == null || stored.workflowId() != workflowId || stored.messageType() != MessageType.USER) {
            throw new InvalidMessageException("handedOver", InvalidMessageException.Reason.NOT_APPLICABLE, "handedOver is message "
                    + handedOver.id() + ", which is no person's message of workflow " + workflowId);
        }
        return store.commit(Commit.append(workflowId, answer)).appended().get(0);
    }

    /** The idempotency key of this guard's reply to a message. */
    private String acknowledgementKey(long messageId) {
        return Validation.libraryKey("acknowledge:" + owner + ":" + messageId);
    }

    @Override
    public Message agentStarting(String agentType, String description) {
        String type = Validation.agentType(InvalidMessageException.requireNonNull("agent_type", agentType));
        InvalidMessageException.requireText("description", description);
        currentAgentType = type;
        agentRunning = true;
        return narrator(type, null).say(SystemMessages.agentStarting(type, description));
    }

    @Override
    public Message agentCompleted(String agentType, String summary, Map<String, Object> metadata) {
        String type = Validation.agentType(InvalidMessageException.requireNonNull("agent_type", agentType));
        InvalidMessageException.requireText("summary", summary);
        Message said = narrator(type, null).say(SystemMessages.agentCompleted(type, summary), metadata);
        agentRunning = false;
        if (heldForNextAgent) {
            // What waited for the next agent is due: the next check looks at the store.
            seenVersion = -1;
        }
        return said;
    }

    @Override
    public AgentNarrator narrator(String agentType, Long agentExecutionId) {
        return new Narrator(core, workflowId, agentType, agentExecutionId);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        // Never equal to a version: every later check() scans, and finds the guard closed.
        seenVersion = Long.MIN_VALUE;
        endStep();
        release.run();
    }

    void ensureNotClosed() {
        if (closed) {
            throw new IllegalStateException(this + " is closed");
        }
    }

    // ---- the step in progress ----

    @Override
    public StopToken stopToken() {
        ensureNotClosed();
        core.ensureOpen();
        StepToken step = token;
        if (step == null) {
            step = new StepToken(workflowId, owner, lastReadSeq, () -> currentAgentType,
                    interruptOnStop ? Thread.currentThread() : null);
            token = step;
            core.stopTokens().arm(step);
            if (signal.version() != seenVersion) {
                // Something came after the last scan read, perhaps before the token was armed.
                core.stopTokens().recheck(workflowId);
            }
        }
        return step;
    }

    @Override
    public CheckpointGuard interruptOnStop(boolean interrupt) {
        this.interruptOnStop = interrupt;
        return this;
    }

    // ---- questions ----

    @Override
    public Answer ask(String question, List<String> options, Duration timeout, QuestionTimeout onTimeout)
            throws InterruptedException {
        ensureNotClosed();
        return new QuestionWait(this, core, signal).ask(currentAgentType, question, options, timeout, onTimeout);
    }

    @Override
    public boolean approve(String question, Duration timeout) throws InterruptedException {
        Answer answer = ask(question, List.of("yes", "no"), timeout, QuestionTimeout.answer("no"));
        return "yes".equalsIgnoreCase(answer.text().strip());
    }

    @Override
    public String toString() {
        return "CheckpointGuard[workflow " + workflowId + ", " + owner + "]";
    }
}
