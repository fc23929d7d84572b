package dev.workflowthread;

import dev.workflowthread.internal.Implementation;
import dev.workflowthread.spi.ThreadStore;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The conversation threads of a host's workflows: what agents narrate, what people send, and the
 * checkpoints that obey them. One instance serves all workflows; it is thread-safe, and several
 * instances (in one JVM or in several processes) may share one store.
 *
 * <pre>{@code
 * WorkflowMessages messages = WorkflowMessages.create(InMemoryThreadStore.create(),
 *         WorkflowThreadConfig.builder().redirectHandler(host::createWorkflow).build());
 * messages.start(workflowId);
 * CheckpointGuard guard = messages.guard(workflowId);   // hand to the agent loop
 * messages.pause(workflowId, "Adding a requirement");   // from the web app
 * }</pre>
 *
 * <p>A workflow's thread exists once {@link #start(long)} was called; every other call on a
 * workflow without one throws {@link WorkflowNotFoundException}. Invalid input throws
 * {@link InvalidMessageException} naming the field, and nothing is stored. A failing store throws
 * {@link StorageException}.
 */
public interface WorkflowMessages extends AutoCloseable {

    /** The most messages one page may hold. */
    int MAX_PAGE_SIZE = 1000;

    /** A service over {@code store} with the given configuration. The store is not closed by {@link #close()}. */
    static WorkflowMessages create(ThreadStore store, WorkflowThreadConfig config) {
        return Implementation.workflowMessages(store, config);
    }

    /** A service over {@code store} with {@link WorkflowThreadConfig#defaults()}. */
    static WorkflowMessages create(ThreadStore store) {
        return create(store, WorkflowThreadConfig.defaults());
    }

    /** The configuration in force. */
    WorkflowThreadConfig config();

    // ---- lifecycle, called by the host's orchestrator ----

    /**
     * Starts the workflow's thread in state running. Idempotent for a workflow that is running or
     * paused (an orchestrator that restarts may call it again).
     *
     * @throws WorkflowFinishedException when the workflow already finished
     */
    WorkflowState start(long workflowId);

    /**
     * Marks the workflow completed: system message "Workflow completed" (with the summary, if
     * any), event {@code workflow:completed}; user messages still open become ignored.
     *
     * @throws WorkflowFinishedException when it already finished
     */
    WorkflowState complete(long workflowId, String summary);

    /**
     * Marks the workflow failed: system message "Workflow failed: reason", event
     * {@code workflow:failed}; user messages still open become ignored.
     *
     * @throws WorkflowFinishedException when it already finished
     */
    WorkflowState fail(long workflowId, String reason);

    /** The workflow's state. */
    WorkflowState getState(long workflowId);

    // ---- writing ----

    /**
     * Appends a message. Agent and system messages are stored as processed comments; a user
     * message is sent as with {@link #send(long, SendRequest)} (so the {@link SendPolicy} is
     * consulted, and may refuse it with {@link SendRefusedException}).
     */
    Message addMessage(long workflowId, MessageType messageType, String content, MessageOptions options);

    /**
     * Sends a person's message: stores it and, for a control action, records what it asks (see
     * the table of user actions in the README). A message that does not apply (already paused, a
     * finished workflow, …) is stored as ignored and the result says why.
     *
     * @throws InvalidMessageException         for blank or oversized content, metadata that is
     *                                         too big, a redirect without {@code newTaskDescription}
     * @throws RedirectNotConfiguredException  for a redirect without a {@link RedirectHandler}
     * @throws SendRefusedException            when the configured {@link SendPolicy} denies it
     *                                         (nothing stored); the caller it judges is the
     *                                         request's {@code author}
     */
    SendResult send(long workflowId, SendRequest request);

    /**
     * Sends a pause with the given reason (or "Pause requested" when null), without an author; the
     * {@link SendPolicy} is consulted as for {@link #send}.
     */
    SendResult pause(long workflowId, String reason);

    /** Sends a resume, without an author; the {@link SendPolicy} is consulted as for {@link #send}. */
    SendResult unpause(long workflowId);

    /**
     * Sends a cancel with the given reason (or "Cancelled by user" when null), without an author;
     * the {@link SendPolicy} is consulted as for {@link #send}.
     */
    SendResult cancel(long workflowId, String reason);

    /**
     * Closes an open user message as processed (for instance an instruction the host handled
     * itself).
     *
     * @return false when it was already processed or ignored
     * @throws MessageNotFoundException when no such message exists
     * @throws InvalidMessageException  when it is not a user message
     */
    boolean markMessageProcessed(long messageId);

    /** As {@link #markMessageProcessed(long)}, closing the message as ignored. */
    boolean markMessageIgnored(long messageId);

    // ---- retention ----

    /** The batch size of {@link #purgeFinished(Duration)}: the most messages one purge transaction deletes. */
    int DEFAULT_PURGE_BATCH_SIZE = 2_000;

    /** The largest batch size {@link #purgeFinished(Duration, int)} takes. */
    int MAX_PURGE_BATCH_SIZE = 100_000;

    /**
     * As {@link #purgeFinished(Duration, int)} with batches of {@value #DEFAULT_PURGE_BATCH_SIZE}
     * messages.
     */
    PurgeResult purgeFinished(Duration olderThan);

    /**
     * Deletes the threads (messages and state) of the workflows that finished (cancelled,
     * redirected, completed or failed) longer than {@code olderThan} ago on the configured clock,
     * in batches of at most {@code batchSize} messages, each batch a short transaction of its own,
     * so that writers to other workflows are never held up for long. Runs on the caller's thread
     * until nothing is left; safe to run again, and from several processes at once.
     *
     * <p>A running or paused workflow is never purged, however old. Afterwards a purged workflow
     * has no thread: reading it or sending to it throws {@link WorkflowNotFoundException}, as for a
     * workflow never started. A send racing the purge of its workflow either lands before the
     * workflow's last batch and is purged with it, or fails with that exception. While a thread
     * longer than a batch is being purged, a reader may see it without its oldest messages. A
     * subscription of a purged workflow stays open and hears nothing more (no event is published
     * for a purge); if the workflow id is started again, its new thread begins at {@code seq} 1.
     *
     * @param olderThan how long ago a workflow must have finished to be purged; zero or positive
     * @param batchSize the most messages one transaction deletes, 1 to {@value #MAX_PURGE_BATCH_SIZE}
     * @return how many workflows' threads were deleted entirely, and how many messages in all
     * @throws IllegalArgumentException naming the parameter, for a negative age or a batch size out of range
     */
    PurgeResult purgeFinished(Duration olderThan, int batchSize);

    // ---- reading ----

    /** The whole thread, ascending by {@code seq}. */
    List<Message> getMessages(long workflowId);

    /** Up to {@code limit} (1 to {@link #MAX_PAGE_SIZE}) messages after {@code afterSeq}, ascending. */
    List<Message> getMessages(long workflowId, long afterSeq, int limit);

    /** The newest {@code limit} (1 to {@link #MAX_PAGE_SIZE}) messages, ascending. */
    List<Message> getNewestMessages(long workflowId, int limit);

    /** User messages not yet processed or ignored (pending or acknowledged), ascending. */
    List<Message> getPendingUserMessages(long workflowId);

    /**
     * What the workflow's next checkpoint would act on, without taking anything: a pending cancel
     * first, then a pending redirect, then a pause that is requested or in effect. A workflow
     * already cancelled or redirected answers with that signal (its {@code messageId} null).
     * Empty when the workflow would run on, and for a workflow the host completed or failed.
     */
    Optional<InterruptSignal> checkForInterrupt(long workflowId);

    // ---- agent side ----

    /**
     * A checkpoint for the workflow's agent loop. Each guard holds its own leases; several guards
     * may watch one workflow.
     *
     * @throws WorkflowNotFoundException when the workflow has no thread
     */
    CheckpointGuard guard(long workflowId);

    /** A narrator that writes an agent's comments into the workflow's thread. */
    AgentNarrator narrator(long workflowId, String agentType, Long agentExecutionId);

    // ---- events ----

    /**
     * Delivers the events of one workflow with {@code seq > afterSeq} (0 for the whole history,
     * or the last seq a client saw), then every later one, until closed.
     */
    Subscription subscribe(long workflowId, long afterSeq, ThreadListener listener);

    /** Delivers the events of every workflow that change after this call, until closed. */
    Subscription subscribeAll(ThreadListener listener);

    /** Stops deliveries and the listener pool the library made. Does not close the store. */
    @Override
    void close();
}
