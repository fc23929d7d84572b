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
import dev.workflowthread.ThreadEvent;
import dev.workflowthread.ThreadListener;
import dev.workflowthread.WorkflowFinishedException;
import dev.workflowthread.WorkflowMessages;
import dev.workflowthread.WorkflowNotFoundException;
import dev.workflowthread.WorkflowState;
import dev.workflowthread.WorkflowStatus;
import dev.workflowthread.WorkflowThreadConfig;
import dev.workflowthread.WorkflowThreadException;
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
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The implementation of {@link WorkflowMessages}. Internal: use {@link WorkflowMessages#create}. */
public final class DefaultWorkflowMessages implements WorkflowMessages {
    private static final Logger LOG = LoggerFactory.getLogger(DefaultWorkflowMessages.class);
    /** No workflow finished before this: a purge cutoff at or before it purges nothing. */
    private static final Instant EARLIEST_FINISH = Instant.parse("0001-01-01T00:00:00Z");
    /** Optimistic retries before a write under heavy contention gives up. */
    static final int MAX_ATTEMPTS = 10_000;
    static final int OPEN_PAGE = 500;

    private final ThreadStore store;
    private final WorkflowThreadConfig config;
    private final Validation validation;
    private final SignalHub signals = new SignalHub();
    private final ConcurrentHashMap<Long, RedirectCall> redirectCalls = new ConcurrentHashMap<>();
    private final EventFeed feed;
    private final ExecutorService ownedExecutor;
    private final Subscription storeSubscription;
    /** Whether the store hears other processes' commits now; while it does not, checkpoints poll. */
    private volatile boolean hearingOthers;
    /** Counts the times hearing was lost: a quiet checkpoint that sees it move looks at the store. */
    private final AtomicLong hearingLosses = new AtomicLong();
    private volatile boolean closed;

    public DefaultWorkflowMessages(ThreadStore store, WorkflowThreadConfig config) {
        if (store == null || config == null) {
            throw new IllegalArgumentException((store == null ? "store" : "config") + " must not be null");
        }
        this.store = store;
        this.config = config;
        this.validation = new Validation(config.maxContentBytes());
        if (config.listenerExecutor() == null) {
            this.ownedExecutor = Executors.newCachedThreadPool(daemonThreads());
            this.feed = new EventFeed(store, ownedExecutor);
        } else {
            this.ownedExecutor = null;
            this.feed = new EventFeed(store, config.listenerExecutor());
        }
        this.hearingOthers = store.notifiesAllChanges();
        this.storeSubscription = store.addChangeListener(new StoreChangeListener() {
            @Override
            public void onChange(StoreChange change) {
                signals.onChange(change);
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
                hearingOthers = false;
                hearingLosses.incrementAndGet();
            }

            @Override
            public void hearingRestored() {
                hearingOthers = store.notifiesAllChanges();
            }

            @Override
            public Set<Long> watchedWorkflows() {
                Set<Long> watched = signals.watchedWorkflows();
                watched.addAll(feed.watchedWorkflows());
                return watched;
            }
        });
    }

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

    @Override
    public WorkflowThreadConfig config() {
        return config;
    }

    // ---- lifecycle ----

    @Override
    public WorkflowState start(long workflowId) {
        ensureOpen();
        Validation.workflowId(workflowId);
        WorkflowState state = store.createIfAbsent(workflowId, now());
        if (state.isFinished()) {
            throw new WorkflowFinishedException(workflowId, state.status());
        }
        return state;
    }

    @Override
    public WorkflowState complete(long workflowId, String summary) {
        String text = summary == null ? null : validation.text("summary", summary);
        return finish(workflowId, WorkflowStatus.COMPLETED, text, SystemMessages.completed(text),
                ThreadEvent.WorkflowCompleted.NAME, java.util.Collections.singletonMap(SystemMessages.SUMMARY, text));
    }

    @Override
    public WorkflowState fail(long workflowId, String reason) {
        String text = validation.text("reason", reason);
        return finish(workflowId, WorkflowStatus.FAILED, text, SystemMessages.failed(text),
                ThreadEvent.WorkflowFailed.NAME, Map.of(SystemMessages.REASON, text));
    }

    private WorkflowState finish(long workflowId, WorkflowStatus status, String reason, String content,
                                 String event, Map<String, Object> details) {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            WorkflowState state = requireState(workflowId);
            if (state.isFinished()) {
                throw new WorkflowFinishedException(workflowId, state.status());
            }
            Instant now = now();
            CommitResult result = store.commit(Commit.transition(workflowId, state.version(),
                    StateUpdate.of(state).finished(status, reason, null),
                    ignoreAllOpen(workflowId),
                    List.of(SystemMessages.stateMessage(content, event, null, now, details))));
            if (result.committed()) {
                return result.state();
            }
        }
        throw contended("finishing workflow " + workflowId);
    }

    /** Resolutions that close every open user message of the workflow as ignored. */
    List<Resolution> ignoreAllOpen(long workflowId) {
        List<Resolution> resolutions = new ArrayList<>();
        for (OpenMessage open : allOpen(workflowId)) {
            resolutions.add(Resolution.ifOpen(open.message().id(), ActionStatus.IGNORED));
        }
        return resolutions;
    }

    @Override
    public WorkflowState getState(long workflowId) {
        return requireState(workflowId);
    }

    // ---- writing ----

    @Override
    public Message addMessage(long workflowId, MessageType messageType, String content, MessageOptions options) {
        ensureOpen();
        Validation.workflowId(workflowId);
        Arguments.required("message_type", messageType);
        MessageOptions opts = options == null ? MessageOptions.NONE : options;
        if (messageType == MessageType.USER) {
            SendResult result = send(workflowId, new SendRequest(content, opts.actionType(), opts.metadata(),
                    opts.author()));
            return store.findMessage(result.messageId()).orElseThrow(() -> new MessageNotFoundException(result.messageId()));
        }
        if (opts.actionType() != null && opts.actionType() != ActionType.COMMENT) {
            throw new InvalidMessageException("action_type", "action_type of an " + messageType.wireName()
                    + " message must be comment, but was " + opts.actionType().wireName());
        }
        return append(workflowId, new NewMessage(opts.agentExecutionId(), messageType,
                Validation.agentType(opts.agentType()), validation.content(content), validation.metadata(opts.metadata()),
                ActionType.COMMENT, ActionStatus.PROCESSED, now(), Validation.author(opts.author())));
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
        // Both normalised as JsonValues keeps them, so equal JSON is equal maps.
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
            throw new InvalidMessageException("idempotency_key", "idempotency_key " + asked.idempotencyKey()
                    + " was used for message " + stored.id() + " whose " + String.join(", ", differing)
                    + " differ; a retry must send the same message, a new message a new key");
        }
    }

    @Override
    public SendResult send(long workflowId, SendRequest request) {
        ensureOpen();
        Validation.workflowId(workflowId);
        Arguments.required("request", request);
        String content = validation.content(request.content());
        Map<String, Object> metadata = validation.metadata(request.metadata());
        String author = Validation.author(request.author());
        ActionType action = request.actionType();
        String key = Validation.idempotencyKey(request.idempotencyKey());
        validation.redirect(action, metadata);
        if (action == ActionType.REDIRECT && config.redirectHandler() == null) {
            throw new RedirectNotConfiguredException();
        }
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            WorkflowState state = requireState(workflowId);
            requireAllowed(state, request);
            Instant now = now();
            SendDecision decision = SendDecision.decide(state, action, content, now);
            NewMessage message = new NewMessage(null, MessageType.USER, null, content, metadata, action,
                    decision.status(), now, author, key);
            // Every user message bumps the version, so a checkpoint that read the open messages
            // before this one was stored cannot commit a decision that overlooks it.
            CommitResult result = store.commit(Commit.transition(workflowId, state.version(), decision.update(),
                    List.of(), List.of(message)));
            if (result.replayed()) {
                Message stored = result.appended().get(0);
                requireSame(message, stored);
                return replayed(stored);
            }
            if (result.committed()) {
                Message stored = result.appended().get(0);
                return new SendResult(stored.id(), stored.seq(), decision.taken(), decision.reason());
            }
        }
        throw contended("sending to workflow " + workflowId);
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
        ensureOpen();
        Message message = store.findMessage(messageId).orElseThrow(() -> new MessageNotFoundException(messageId));
        if (message.messageType() != MessageType.USER) {
            throw new InvalidMessageException("messageId", "message " + messageId + " is an "
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
        ensureOpen();
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
            requireState(workflowId);
        }
        return List.copyOf(all);
    }

    @Override
    public List<Message> getMessages(long workflowId, long afterSeq, int limit) {
        ensureOpen();
        List<Message> page = store.readAfter(workflowId, Validation.afterSeq(afterSeq), Validation.pageLimit(limit));
        if (page.isEmpty()) {
            requireState(workflowId);
        }
        return page;
    }

    @Override
    public List<Message> getNewestMessages(long workflowId, int limit) {
        ensureOpen();
        List<Message> page = store.readNewest(workflowId, Validation.pageLimit(limit));
        if (page.isEmpty()) {
            requireState(workflowId);
        }
        return page;
    }

    @Override
    public List<Message> getPendingUserMessages(long workflowId) {
        List<Message> pending = allOpen(workflowId).stream().map(OpenMessage::message).toList();
        if (pending.isEmpty()) {
            requireState(workflowId); // none, or no such workflow: only then is the state worth a read
        }
        return pending;
    }

    @Override
    public Optional<InterruptSignal> checkForInterrupt(long workflowId) {
        WorkflowState state = requireState(workflowId);
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
        List<Message> controls = allOpen(workflowId).stream().map(OpenMessage::message)
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
        WorkflowState state = requireState(workflowId);
        WorkflowSignal signal = state.isFinished() ? new WorkflowSignal(state.version())
                : signals.signalFor(workflowId, state.version());
        return new DefaultCheckpointGuard(this, workflowId, signal);
    }

    @Override
    public AgentNarrator narrator(long workflowId, String agentType, Long agentExecutionId) {
        ensureOpen();
        Validation.workflowId(workflowId);
        String type = Validation.agentType(agentType);
        return new AgentNarrator() {
            @Override
            public String agentType() {
                return type;
            }

            @Override
            public Message say(String content, Map<String, Object> metadata) {
                return say(content, metadata, null);
            }

            @Override
            public Message say(String content, Map<String, Object> metadata, String idempotencyKey) {
                ensureOpen();
                return append(workflowId, new NewMessage(agentExecutionId, MessageType.AGENT, type,
                        validation.content(content), validation.metadata(metadata), ActionType.COMMENT,
                        ActionStatus.PROCESSED, now(), null, Validation.idempotencyKey(idempotencyKey)));
            }
        };
    }

    // ---- events ----

    @Override
    public Subscription subscribe(long workflowId, long afterSeq, ThreadListener listener) {
        Arguments.required("listener", listener);
        requireState(workflowId);
        return feed.subscribe(workflowId, Validation.afterSeq(afterSeq), listener);
    }

    @Override
    public Subscription subscribeAll(ThreadListener listener) {
        ensureOpen();
        Arguments.required("listener", listener);
        return feed.subscribeAll(listener);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
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
        ensureOpen();
        Instant now = now();
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

    // ---- shared with the checkpoint guard ----

    ThreadStore store() {
        return store;
    }

    Validation validation() {
        return validation;
    }

    Instant now() {
        return config.clock().instant().truncatedTo(ChronoUnit.MILLIS);
    }

    WorkflowState requireState(long workflowId) {
        ensureOpen();
        return store.findState(workflowId).orElseThrow(() -> new WorkflowNotFoundException(workflowId));
    }

    /** Refuses use after {@link #close()}: its checkpoints would no longer hear of changes. */
    void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("this WorkflowMessages is closed");
        }
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

    /** The handler call for a redirect message, made by {@code guard} unless another one made it first. */
    RedirectCall redirectCall(long messageId, String guard) {
        return redirectCalls.computeIfAbsent(messageId, id -> new RedirectCall(guard));
    }

    void forgetRedirectCall(long messageId, RedirectCall call) {
        redirectCalls.remove(messageId, call);
    }

    static WorkflowThreadException contended(String what) {
        return new WorkflowThreadException(what + " gave up after " + MAX_ATTEMPTS
                + " attempts that each lost a race with another writer");
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
    static SendResult replayed(Message stored) {
        if (stored.actionStatus() == ActionStatus.IGNORED) {
            return new SendResult(stored.id(), stored.seq(), ActionTaken.IGNORED,
                    "already sent under this idempotency key, and ignored");
        }
        ActionTaken taken = switch (stored.actionType()) {
            case COMMENT -> ActionTaken.COMMENT_ADDED;
            case INSTRUCTION -> ActionTaken.INSTRUCTION_QUEUED;
            case PAUSE -> ActionTaken.PAUSE_REQUESTED;
            case RESUME -> ActionTaken.RESUME_REQUESTED;
            case CANCEL -> ActionTaken.CANCEL_REQUESTED;
            case REDIRECT -> ActionTaken.REDIRECT_REQUESTED;
        };
        return new SendResult(stored.id(), stored.seq(), taken, null);
    }

    /** What sending one user message does, decided from the workflow's state. */
    record SendDecision(ActionStatus status, ActionTaken taken, String reason, StateUpdate update) {

        static SendDecision decide(WorkflowState state, ActionType action, String content, Instant now) {
            StateUpdate same = StateUpdate.of(state);
            if (state.isFinished()) {
                if (action == ActionType.COMMENT) {
                    // A review note on a finished workflow is welcome; there is no agent to hand it to.
                    return new SendDecision(ActionStatus.PROCESSED, ActionTaken.COMMENT_ADDED, null, same);
                }
                return ignored("workflow is " + state.status().wireName(), same);
            }
            return switch (action) {
                case COMMENT -> new SendDecision(ActionStatus.PENDING, ActionTaken.COMMENT_ADDED, null, same);
                case INSTRUCTION -> new SendDecision(ActionStatus.PENDING, ActionTaken.INSTRUCTION_QUEUED, null, same);
                case PAUSE -> state.isPauseRequested()
                        ? ignored(state.paused() ? "workflow is already paused" : "a pause is already requested", same)
                        : new SendDecision(ActionStatus.PENDING, ActionTaken.PAUSE_REQUESTED, null,
                        same.pauseRequested(now, content));
                case RESUME -> state.isPauseRequested()
                        ? new SendDecision(ActionStatus.PENDING, ActionTaken.RESUME_REQUESTED, null,
                        same.pauseRequestWithdrawn())
                        : ignored(state.paused() ? "a resume is already requested" : "workflow is not paused", same);
                case CANCEL -> new SendDecision(ActionStatus.PENDING, ActionTaken.CANCEL_REQUESTED, null, same);
                case REDIRECT -> new SendDecision(ActionStatus.PENDING, ActionTaken.REDIRECT_REQUESTED, null, same);
            };
        }

        private static SendDecision ignored(String reason, StateUpdate same) {
            return new SendDecision(ActionStatus.IGNORED, ActionTaken.IGNORED, reason, same);
        }
    }
}
