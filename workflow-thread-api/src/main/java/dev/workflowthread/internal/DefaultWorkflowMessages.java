package dev.workflowthread.internal;

import dev.workflowthread.ActionStatus;
import dev.workflowthread.ActionTaken;
import dev.workflowthread.ActionType;
import dev.workflowthread.AgentNarrator;
import dev.workflowthread.CheckpointGuard;
import dev.workflowthread.InterruptSignal;
import dev.workflowthread.InvalidMessageException;
import dev.workflowthread.Message;
import dev.workflowthread.MessageNotFoundException;
import dev.workflowthread.MessageOptions;
import dev.workflowthread.MessageType;
import dev.workflowthread.PurgeResult;
import dev.workflowthread.RedirectNotConfiguredException;
import dev.workflowthread.SendPolicy;
import dev.workflowthread.SendRefusedException;
import dev.workflowthread.SendRequest;
import dev.workflowthread.SendResult;
import dev.workflowthread.Subscription;
import dev.workflowthread.ThreadListener;
import dev.workflowthread.WorkflowFinishedException;
import dev.workflowthread.WorkflowMessages;
import dev.workflowthread.WorkflowState;
import dev.workflowthread.WorkflowThreadConfig;
import dev.workflowthread.WorkflowThreadException;
import dev.workflowthread.WorkflowThreadObserver;
import dev.workflowthread.spi.Commit;
import dev.workflowthread.spi.CommitResult;
import dev.workflowthread.spi.NewMessage;
import dev.workflowthread.spi.OpenMessage;
import dev.workflowthread.spi.Resolution;
import dev.workflowthread.spi.StateUpdate;
import dev.workflowthread.spi.StoreChange;
import dev.workflowthread.spi.StoreChangeListener;
import dev.workflowthread.spi.ThreadStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The implementation of {@link WorkflowMessages}: validates, asks the send policy, and commits
 * through the {@link ThreadCore} it shares with the checkpoint guards it makes. Internal: use
 * {@link WorkflowMessages#create}.
 */
final class DefaultWorkflowMessages implements WorkflowMessages {
    private static final Logger LOG = LoggerFactory.getLogger(DefaultWorkflowMessages.class);
    /** No workflow finished before this: a purge cutoff at or before it purges nothing. */
    private static final Instant EARLIEST_FINISH = Instant.parse("0001-01-01T00:00:00Z");

    private final ThreadCore core;
    private final ThreadStore store;
    private final WorkflowThreadConfig config;
    private final Validation validation;
    private final SignalHub signals = new SignalHub();
    private final EventFeed feed;
    private final ExecutorService ownedExecutor;
    private final Subscription storeSubscription;

    DefaultWorkflowMessages(ThreadStore store, WorkflowThreadConfig config) {
        if (store == null || config == null) {
            throw new IllegalArgumentException((store == null ? "store" : "config") + " must not be null");
        }
        ThreadStore observed = ObservedStore.of(store, config.observer());
        this.core = new ThreadCore(observed, config);
        this.store = observed;
        this.config = config;
        this.validation = core.validation();
        if (config.listenerExecutor() == null) {
            this.ownedExecutor = Executors.newCachedThreadPool(daemonThreads());
            this.feed = new EventFeed(observed, ownedExecutor, core);
        } else {
            this.ownedExecutor = null;
            this.feed = new EventFeed(observed, config.listenerExecutor(), core);
        }
        this.storeSubscription = observed.addChangeListener(new StoreChangeListener() {
            @Override
            public void onChange(StoreChange change) {
                signals.onChange(change);
                core.stopTokens().onChange(change);
                feed.onChange(change);
            }

            @Override
            public void storeClosed() {
                // Checkpoints answer from memory only while the store tells them of changes: make
                // each look at the store at its next check, which then fails loudly.
                signals.closeAll();
                // Nothing will be delivered any more: stop the subscriptions rather than retry reads.
                feed.closeAll();
            }

            @Override
            public void hearingLost() {
                core.hearingLost();
            }

            @Override
            public void hearingRestored() {
                core.hearingRestored();
            }

            @Override
            public Set<Long> watchedWorkflows() {
                return watched();
            }
        });
        core.observer().attached(new LiveGauges());
    }

    /** The workflows with a checkpoint or a subscription of one workflow in this JVM. */
    private Set<Long> watched() {
        Set<Long> watched = signals.watchedWorkflows();
        watched.addAll(feed.watchedWorkflows());
        return watched;
    }

    /** What {@link WorkflowThreadObserver#attached} is given: read live from this service. */
    private final class LiveGauges implements WorkflowThreadObserver.Gauges {
        @Override
        public int watchedWorkflows() {
            return watched().size();
        }

        @Override
        public boolean hearingOtherProcesses() {
            return core.hearingOthers();
        }
    }

    @Override
    public WorkflowThreadConfig config() {
        return config;
    }

    // ---- lifecycle ----

    @Override
    public WorkflowState start(long workflowId) {
        core.ensureOpen();
        Validation.workflowId(workflowId);
        WorkflowState state = store.createIfAbsent(workflowId, core.now());
        if (state.isFinished()) {
            throw new WorkflowFinishedException(workflowId, state.status());
        }
        return state;
    }

    @Override
    public WorkflowState complete(long workflowId, String summary) {
        String text = summary == null ? null : validation.text("summary", summary);
        return finish(workflowId, Transitions.Ending.completed(text));
    }

    @Override
    public WorkflowState fail(long workflowId, String reason) {
        return finish(workflowId, Transitions.Ending.failed(validation.text("reason", reason)));
    }

    private WorkflowState finish(long workflowId, Transitions.Ending ending) {
        return core.retry("finishing workflow " + workflowId, core.requireState(workflowId), state -> {
            if (state.isFinished()) {
                throw new WorkflowFinishedException(workflowId, state.status());
            }
            return Transitions.finish(state, ending, null, null, core.allOpen(workflowId), core.now());
        }).state();
    }

    @Override
    public WorkflowState getState(long workflowId) {
        return core.requireState(workflowId);
    }

    // ---- writing ----

    @Override
    public Message addMessage(long workflowId, MessageType messageType, String content, MessageOptions options) {
        core.ensureOpen();
        Validation.workflowId(workflowId);
        InvalidMessageException.requireNonNull("message_type", messageType);
        MessageOptions opts = options == null ? MessageOptions.NONE : options;
        if (messageType == MessageType.USER) {
            SendResult result = send(workflowId, new SendRequest(content, opts.actionType(), opts.metadata(),
                    opts.author()));
            return store.findMessage(result.messageId()).orElseThrow(() -> new MessageNotFoundException(result.messageId()));
        }
        if (opts.actionType() != null && opts.actionType() != ActionType.COMMENT) {
            throw new InvalidMessageException("action_type", InvalidMessageException.Reason.NOT_APPLICABLE, "action_type of an " + messageType.wireName()
                    + " message must be comment, but was " + opts.actionType().wireName());
        }
        return core.append(workflowId, new NewMessage(opts.agentExecutionId(), messageType,
                Validation.agentType(opts.agentType()), validation.content(content), validation.metadata(opts.metadata()),
                ActionType.COMMENT, ActionStatus.PROCESSED, core.now(), Validation.author(opts.author())));
    }

    @Override
    public SendResult send(long workflowId, SendRequest request) {
        core.ensureOpen();
        Validation.workflowId(workflowId);
        InvalidMessageException.requireNonNull("request", request);
        String content = validation.content(request.content());
        Map<String, Object> metadata = validation.metadata(request.metadata());
        String author = Validation.author(request.author());
        ActionType action = request.actionType();
        String key = Validation.idempotencyKey(request.idempotencyKey());
        validation.redirect(action, metadata);
        Long questionId = Validation.steering(action, metadata);
        if (action == ActionType.REDIRECT && config.redirectHandler() == null) {
            throw new RedirectNotConfiguredException();
        }
        Message question = questionId == null ? null : Questions.requireQuestion(store, workflowId, questionId, metadata);
        Transitions.SendDecision[] decided = new Transitions.SendDecision[1];
        NewMessage[] sent = new NewMessage[1];
        boolean[] questionClosed = {false};
        Function<WorkflowState, Commit> attempt = state -> {
            requireAllowed(state, request);
            Instant now = core.now();
            decided[0] = Transitions.send(state, action, content, now);
            List<NewMessage> messages = new ArrayList<>(2);
            if (question != null && decided[0].status().isOpen()
                    && (questionClosed[0] || Questions.pastDeadline(question, now))) {
                decided[0] = Transitions.SendDecision.ignored(Questions.closedReason(question), StateUpdate.of(state));
                messages.add(Questions.lateAnswerNote(question, now));
            }
            sent[0] = new NewMessage(null, MessageType.USER, null, content, metadata, action,
                    decided[0].status(), now, author, key);
            messages.add(0, sent[0]);
            if (question != null && decided[0].status().isOpen()) {
                // The first answer closes the question: a later one, or the asker's deadline,
                // finds this notice's key taken.
                messages.add(Questions.answeredNotice(question, content, metadata, author, now));
            }
            // Every user message bumps the version, so a checkpoint that read the open messages
            // before this one was stored cannot commit a decision that overlooks it.
            return Commit.transition(workflowId, state.version(), decided[0].update(), List.of(), messages);
        };
        String what = "sending to workflow " + workflowId;
        CommitResult result = core.retry(what, core.requireState(workflowId), attempt);
        if (question != null && result.replayed()
                && result.appended().stream().noneMatch(m -> m.messageType() == MessageType.USER)) {
            // Not a retry of this request: the question was closed before this answer came.
            questionClosed[0] = true;
            result = core.retry(what, result.state(), attempt);
        }
        Message stored = result.appended().get(0);
        if (result.replayed()) {
            ThreadCore.requireSame(sent[0], stored);
            return replayed(stored, result.state());
        }
        core.observer().messageSent(workflowId, action, decided[0].taken());
        core.stopTokens().onSent(stored);
        return new SendResult(stored.id(), stored.seq(), decided[0].taken(), decided[0].reason(),
                stored.actionStatus(), result.state());
    }

    /**
     * Asks the host's {@link SendPolicy} about the request against this state; throws
     * {@link SendRefusedException} when it denies. A policy that throws fails the send as it is.
     */
    private void requireAllowed(WorkflowState state, SendRequest request) {
        SendPolicy policy = config.sendPolicy();
        SendPolicy.Decision decision = policy.decide(state, request);
        if (decision == null) {
            throw new WorkflowThreadException("the SendPolicy " + policy + " returned null for a "
                    + request.actionType().wireName() + " to workflow " + state.workflowId()
                    + "; it must allow or deny");
        }
        if (!decision.allowed()) {
            throw new SendRefusedException(state.workflowId(), request.actionType(), request.author(),
                    decision.reason());
        }
    }

    @Override
    public SendResult pause(long workflowId, String reason) {
        return send(workflowId, SendRequest.of(ActionType.PAUSE, reason == null ? "Pause requested" : reason));
    }

    @Override
    public SendResult unpause(long workflowId) {
        return send(workflowId, SendRequest.of(ActionType.RESUME, "Resume requested"));
    }

    @Override
    public SendResult cancel(long workflowId, String reason) {
        return send(workflowId, SendRequest.of(ActionType.CANCEL, reason == null ? "Cancelled by user" : reason));
    }

    @Override
    public boolean markMessageProcessed(long messageId) {
        return close(messageId, ActionStatus.PROCESSED);
    }

    @Override
    public boolean markMessageIgnored(long messageId) {
        return close(messageId, ActionStatus.IGNORED);
    }

    private boolean close(long messageId, ActionStatus outcome) {
        core.ensureOpen();
        Message message = store.findMessage(messageId).orElseThrow(() -> new MessageNotFoundException(messageId));
        if (message.messageType() != MessageType.USER) {
            throw new InvalidMessageException("messageId", InvalidMessageException.Reason.NOT_APPLICABLE, "message " + messageId + " is an "
                    + message.messageType().wireName() + " message; only user messages have an action status to close");
        }
        if (!message.actionStatus().isOpen()) {
            return false;
        }
        return store.commit(new Commit(message.workflowId(), Commit.ANY_VERSION, null,
                List.of(Resolution.ofOpen(messageId, outcome)), List.of())).committed();
    }

    // ---- reading ----

    @Override
    public List<Message> getMessages(long workflowId) {
        core.ensureOpen();
        List<Message> all = new ArrayList<>();
        long after = 0;
        while (true) {
            List<Message> page = store.readAfter(workflowId, after, MAX_PAGE_SIZE);
            all.addAll(page);
            if (page.size() < MAX_PAGE_SIZE) {
                break;
            }
            after = page.get(page.size() - 1).seq();
        }
        if (all.isEmpty()) {
            core.requireState(workflowId);
        }
        return List.copyOf(all);
    }

    @Override
    public List<Message> getMessages(long workflowId, long afterSeq, int limit) {
        core.ensureOpen();
        List<Message> page = store.readAfter(workflowId, Validation.afterSeq(afterSeq), Validation.pageLimit(limit));
        if (page.isEmpty()) {
            core.requireState(workflowId);
        }
        return page;
    }

    @Override
    public List<Message> getNewestMessages(long workflowId, int limit) {
        core.ensureOpen();
        List<Message> page = store.readNewest(workflowId, Validation.pageLimit(limit));
        if (page.isEmpty()) {
            core.requireState(workflowId);
        }
        return page;
    }

    @Override
    public List<Message> getPendingUserMessages(long workflowId) {
        List<Message> pending = core.allOpen(workflowId).stream().map(OpenMessage::message).toList();
        if (pending.isEmpty()) {
            core.requireState(workflowId); // none, or no such workflow: only then is the state worth a read
        }
        return pending;
    }

    @Override
    public Optional<InterruptSignal> checkForInterrupt(long workflowId) {
        WorkflowState state = core.requireState(workflowId);
        switch (state.status()) {
            case CANCELLED:
                return Optional.of(new InterruptSignal.Cancel(workflowId, null, state.statusReason(), null));
            case REDIRECTED:
                return Optional.of(new InterruptSignal.Redirect(workflowId, null, state.statusReason(), null, null));
            case COMPLETED:
            case FAILED:
                return Optional.empty();
            default:
                break;
        }
        List<Message> controls = core.allOpen(workflowId).stream().map(OpenMessage::message)
                .filter(m -> m.actionType().isControl()).toList();
        for (ActionType terminal : List.of(ActionType.CANCEL, ActionType.REDIRECT)) {
            for (Message m : controls) {
                if (m.actionType() == terminal) {
                    return Optional.of(terminal == ActionType.CANCEL
                            ? new InterruptSignal.Cancel(workflowId, m.id(), m.content(), m.author())
                            : new InterruptSignal.Redirect(workflowId, m.id(), m.newTaskDescription(), m.metadata(),
                            m.author()));
                }
            }
        }
        if (state.isPauseRequested()) {
            Message pause = null;
            for (Message m : controls) {
                if (m.actionType() == ActionType.PAUSE) {
                    pause = m;
                }
            }
            return Optional.of(new InterruptSignal.Pause(workflowId, pause == null ? null : pause.id(),
                    state.pauseReason(), pause == null ? null : pause.author()));
        }
        return Optional.empty();
    }

    // ---- agent side ----

    @Override
    public CheckpointGuard guard(long workflowId) {
        Validation.workflowId(workflowId);
        WorkflowState state = core.requireState(workflowId);
        WorkflowSignal signal = state.isFinished() ? new WorkflowSignal(state.version())
                : signals.signalFor(workflowId, state.version());
        return new DefaultCheckpointGuard(core, workflowId, signal, () -> signals.release(workflowId, signal));
    }

    @Override
    public AgentNarrator narrator(long workflowId, String agentType, Long agentExecutionId) {
        return new Narrator(core, workflowId, agentType, agentExecutionId);
    }

    // ---- events ----

    @Override
    public Subscription subscribe(long workflowId, long afterSeq, ThreadListener listener) {
        InvalidMessageException.requireNonNull("listener", listener);
        core.requireState(workflowId);
        return feed.subscribe(workflowId, Validation.afterSeq(afterSeq), listener);
    }

    @Override
    public Subscription subscribeAll(ThreadListener listener) {
        core.ensureOpen();
        InvalidMessageException.requireNonNull("listener", listener);
        return feed.subscribeAll(listener);
    }

    @Override
    public void close() {
        if (!core.close()) {
            return;
        }
        storeSubscription.close();
        signals.closeAll();
        feed.closeAll();
        if (ownedExecutor != null) {
            ownedExecutor.shutdown();
        }
    }

    // ---- retention ----

    @Override
    public PurgeResult purgeFinished(Duration olderThan) {
        return purgeFinished(olderThan, DEFAULT_PURGE_BATCH_SIZE);
    }

    @Override
    public PurgeResult purgeFinished(Duration olderThan, int batchSize) {
        if (olderThan == null) {
            throw new IllegalArgumentException("olderThan must not be null");
        }
        if (olderThan.isNegative()) {
            throw new IllegalArgumentException("olderThan must be zero or positive, but was " + olderThan);
        }
        if (batchSize < 1 || batchSize > MAX_PURGE_BATCH_SIZE) {
            throw new IllegalArgumentException("batchSize must be between 1 and " + MAX_PURGE_BATCH_SIZE
                    + ", but was " + batchSize);
        }
        core.ensureOpen();
        Instant now = core.now();
        // An age reaching back before year 1 purges nothing (and no database could store the time).
        if (Duration.between(EARLIEST_FINISH, now).compareTo(olderThan) <= 0) {
            return PurgeResult.NONE;
        }
        Instant finishedBefore = now.minus(olderThan);
        PurgeResult total = PurgeResult.NONE;
        while (true) {
            PurgeResult batch = store.purgeFinished(finishedBefore, batchSize);
            if (batch.isEmpty()) {
                break;
            }
            total = total.plus(batch);
            LOG.debug("purged {} workflows and {} messages finished before {}", batch.workflows(), batch.messages(),
                    finishedBefore);
        }
        if (!total.isEmpty()) {
            LOG.info("purged the threads of {} workflows ({} messages) finished before {}", total.workflows(),
                    total.messages(), finishedBefore);
        }
        return total;
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "workflow-thread-listener-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /**
     * The answer to a send replayed under its idempotency key: the stored message's id and seq,
     * and what sending did as far as the message shows now (a message a checkpoint has since
     * ignored shows as ignored).
     */
    static SendResult replayed(Message stored, WorkflowState state) {
        if (stored.actionStatus() == ActionStatus.IGNORED) {
            return new SendResult(stored.id(), stored.seq(), ActionTaken.IGNORED,
                    "already sent under this idempotency key, and ignored", stored.actionStatus(), state);
        }
        ActionTaken taken = switch (stored.actionType()) {
            case COMMENT -> ActionTaken.COMMENT_ADDED;
            case INSTRUCTION -> ActionTaken.INSTRUCTION_QUEUED;
            case PAUSE -> ActionTaken.PAUSE_REQUESTED;
            case RESUME -> ActionTaken.RESUME_REQUESTED;
            case CANCEL -> ActionTaken.CANCEL_REQUESTED;
            case REDIRECT -> ActionTaken.REDIRECT_REQUESTED;
        };
        return new SendResult(stored.id(), stored.seq(), taken, null, stored.actionStatus(), state);
    }
}
