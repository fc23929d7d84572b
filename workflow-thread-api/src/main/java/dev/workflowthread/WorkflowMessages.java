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
 * {@link StorageException} (or {@link OutcomeUnknownException} when it cannot know whether a
 * write took effect). Once {@link #close() closed}, every method but {@link #config()} and
 * {@code close()} throws {@link IllegalStateException}.
 */
public interface WorkflowMessages extends AutoCloseable {

    /** The most messages one page may hold. */
    int MAX_PAGE_SIZE = 1000;

    /**
     * A service over {@code store} with the given configuration. The store is not closed by
     * {@link #close()}.
     *
     * @param store  where the threads are kept
     * @param config the configuration
     * @return the service, ready for use
     * @throws IllegalArgumentException when {@code store} or {@code config} is null
     */
    static WorkflowMessages create(ThreadStore store, WorkflowThreadConfig config) {
        return Implementation.workflowMessages(store, config);
    }

    /**
     * A service over {@code store} with {@link WorkflowThreadConfig#defaults()}: no redirect
     * handler, every send allowed. The store is not closed by {@link #close()}.
     *
     * @param store where the threads are kept
     * @return the service, ready for use
     * @throws IllegalArgumentException when {@code store} is null
     */
    static WorkflowMessages create(ThreadStore store) {
        return create(store, WorkflowThreadConfig.defaults());
    }

    /**
     * The configuration in force.
     *
     * @return the configuration this service was created with
     */
    WorkflowThreadConfig config();

    // ---- lifecycle, called by the host's orchestrator ----

    /**
     * Starts the workflow's thread in state running. Idempotent for a workflow that is running or
     * paused (an orchestrator that restarts may call it again).
     *
     * @param workflowId the host's workflow id, positive
     * @return the workflow's state: new, or as it was when the thread already existed
     * @throws InvalidArgumentException  naming {@code workflowId} when it is not positive
     * @throws WorkflowFinishedException when the workflow already finished
     */
    WorkflowState start(long workflowId);

    /**
     * Marks the workflow completed: system message "Workflow completed" (with the summary, if
     * any), event {@code workflow:completed}; user messages still open become ignored.
     *
     * @param workflowId the workflow
     * @param summary    what the workflow achieved, or null; when given, a non-blank text of at
     *                   most the configured content limit
     * @return the workflow's state, completed
     * @throws InvalidMessageException   naming {@code summary} when it is blank or too long
     * @throws WorkflowNotFoundException when the workflow has no thread
     * @throws WorkflowFinishedException when it already finished
     */
    WorkflowState complete(long workflowId, String summary);

    /**
     * Marks the workflow failed: system message "Workflow failed: reason", event
     * {@code workflow:failed}; user messages still open become ignored.
     *
     * @param workflowId the workflow
     * @param reason     why it failed: a non-blank text of at most the configured content limit
     * @return the workflow's state, failed
     * @throws InvalidMessageException   naming {@code reason} when it is null, blank or too long
     * @throws WorkflowNotFoundException when the workflow has no thread
     * @throws WorkflowFinishedException when it already finished
     */
    WorkflowState fail(long workflowId, String reason);

    /**
     * The workflow's state, read from the store.
     *
     * @param workflowId the workflow
     * @return its state as the store holds it now
     * @throws WorkflowNotFoundException when the workflow has no thread
     */
    WorkflowState getState(long workflowId);

    // ---- writing ----

    /**
     * Appends a message. Agent and system messages are stored as processed comments, also to a
     * finished workflow; a user message is sent as with {@link #send(long, SendRequest)} (so the
     * {@link SendPolicy} is consulted, and may refuse it with {@link SendRefusedException}).
     *
     * @param workflowId  the workflow, positive
     * @param messageType who writes it
     * @param content     the text: not blank, at most the configured content limit in UTF-8 bytes
     * @param options     the optional fields, or null for {@link MessageOptions#NONE}
     * @return the stored message, with its {@code id} and {@code seq}
     * @throws InvalidMessageException   naming the field: {@code workflowId} not positive, a null
     *                                   {@code message_type}, bad {@code content}, {@code metadata},
     *                                   {@code agent_type} or {@code author}, an {@code action_type}
     *                                   other than comment for an agent or system message, and
     *                                   whatever {@link #send} refuses for a user message
     * @throws WorkflowNotFoundException when the workflow has no thread
     * @throws SendRefusedException      when the {@link SendPolicy} denies a user message
     */
    Message addMessage(long workflowId, MessageType messageType, String content, MessageOptions options);

    /**
     * Sends a person's message: stores it and, for a control action, records what it asks (see
     * the table of user actions in the README). A message that does not apply (already paused, a
     * finished workflow, …) is stored as ignored and the result says why.
     *
     * <p>With an {@link SendRequest#idempotencyKey() idempotency key} that the workflow's thread
     * already holds, nothing is stored and the answer is that of the message first stored under it.
     *
     * @param workflowId the workflow, positive
     * @param request    what the person sends
     * @return the stored message's id and {@code seq}, what sending did, and the workflow's state
     * @throws InvalidMessageException         for a null request, blank or oversized content,
     *                                         metadata that is too big, a redirect without
     *                                         {@code newTaskDescription}, a bad {@code author} or
     *                                         {@code idempotency_key}, a key reused for another
     *                                         message, or a {@code workflowId} not positive
     * @throws RedirectNotConfiguredException  for a redirect without a {@link RedirectHandler}
     * @throws WorkflowNotFoundException       when the workflow has no thread
     * @throws SendRefusedException            when the configured {@link SendPolicy} denies it
     *                                         (nothing stored); the caller it judges is the
     *                                         request's {@code author}
     */
    SendResult send(long workflowId, SendRequest request);

    /**
     * Sends a pause with the given reason (or "Pause requested" when null), without an author; the
     * {@link SendPolicy} is consulted as for {@link #send}.
     *
     * @param workflowId the workflow
     * @param reason     the pause message's content, or null
     * @return what sending did, as for {@link #send}
     * @throws InvalidMessageException   naming {@code content}, for a reason that is blank or too long
     * @throws WorkflowNotFoundException when the workflow has no thread
     * @throws SendRefusedException      when the {@link SendPolicy} denies it
     */
    SendResult pause(long workflowId, String reason);

    /**
     * Sends a resume ("Resume requested"), without an author; the {@link SendPolicy} is consulted
     * as for {@link #send}.
     *
     * @param workflowId the workflow
     * @return what sending did, as for {@link #send}
     * @throws WorkflowNotFoundException when the workflow has no thread
     * @throws SendRefusedException      when the {@link SendPolicy} denies it
     */
    SendResult unpause(long workflowId);

    /**
     * Sends a cancel with the given reason (or "Cancelled by user" when null), without an author;
     * the {@link SendPolicy} is consulted as for {@link #send}.
     *
     * @param workflowId the workflow
     * @param reason     the cancel message's content, or null
     * @return what sending did, as for {@link #send}
     * @throws InvalidMessageException   naming {@code content}, for a reason that is blank or too long
     * @throws WorkflowNotFoundException when the workflow has no thread
     * @throws SendRefusedException      when the {@link SendPolicy} denies it
     */
    SendResult cancel(long workflowId, String reason);

    /**
     * Closes an open user message as processed (for instance an instruction the host handled
     * itself).
     *
     * @param messageId the message
     * @return true when this call closed it; false when it was already processed or ignored
     * @throws MessageNotFoundException when no such message exists
     * @throws InvalidMessageException  naming {@code messageId} when it is not a user message
     */
    boolean markMessageProcessed(long messageId);

    /**
     * As {@link #markMessageProcessed(long)}, closing the message as ignored.
     *
     * @param messageId the message
     * @return true when this call closed it; false when it was already processed or ignored
     * @throws MessageNotFoundException when no such message exists
     * @throws InvalidMessageException  naming {@code messageId} when it is not a user message
     */
    boolean markMessageIgnored(long messageId);

    // ---- retention ----

    /** The batch size of {@link #purgeFinished(Duration)}: the most messages one purge transaction deletes. */
    int DEFAULT_PURGE_BATCH_SIZE = 2_000;

    /** The largest batch size {@link #purgeFinished(Duration, int)} takes. */
    int MAX_PURGE_BATCH_SIZE = 100_000;

    /**
     * As {@link #purgeFinished(Duration, int)} with batches of {@value #DEFAULT_PURGE_BATCH_SIZE}
     * messages.
     *
     * @param olderThan how long ago a workflow must have finished to be purged; zero or positive
     * @return how many workflows' threads were deleted entirely, and how many messages in all
     * @throws IllegalArgumentException naming {@code olderThan} when it is null or negative
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
     * @throws IllegalArgumentException naming the parameter, for a null or negative age or a batch
     *                                  size out of range
     */
    PurgeResult purgeFinished(Duration olderThan, int batchSize);

    // ---- reading ----

    /**
     * The whole thread, read in pages of {@value #MAX_PAGE_SIZE}.
     *
     * @param workflowId the workflow
     * @return every message of the workflow, ascending by {@code seq}; unmodifiable
     * @throws WorkflowNotFoundException when the workflow has no thread
     */
    List<Message> getMessages(long workflowId);

    /**
     * One page of the thread: the messages after a cursor.
     *
     * @param workflowId the workflow
     * @param afterSeq   the cursor: only messages with a greater {@code seq}; 0 for the first page
     * @param limit      the most messages to return, 1 to {@value #MAX_PAGE_SIZE}
     * @return up to {@code limit} messages, ascending by {@code seq}; empty when none is newer
     * @throws InvalidArgumentException  naming {@code after} when {@code afterSeq} is negative, or
     *                                   {@code limit} when it is out of range
     * @throws WorkflowNotFoundException when the workflow has no thread
     */
    List<Message> getMessages(long workflowId, long afterSeq, int limit);

    /**
     * The end of the thread, as a UI shows it first.
     *
     * @param workflowId the workflow
     * @param limit      the most messages to return, 1 to {@value #MAX_PAGE_SIZE}
     * @return the newest {@code limit} messages (fewer when the thread is shorter), ascending by
     *         {@code seq}
     * @throws InvalidArgumentException  naming {@code limit} when it is out of range
     * @throws WorkflowNotFoundException when the workflow has no thread
     */
    List<Message> getNewestMessages(long workflowId, int limit);

    /**
     * The user messages not yet processed or ignored.
     *
     * @param workflowId the workflow
     * @return the pending and acknowledged user messages, ascending by {@code seq}
     * @throws WorkflowNotFoundException when the workflow has no thread
     */
    List<Message> getPendingUserMessages(long workflowId);

    /**
     * What the workflow's next checkpoint would act on, without taking anything: a pending cancel
     * first, then a pending redirect, then a pause that is requested or in effect. A workflow
     * already cancelled or redirected answers with that signal (its {@code messageId} null).
     * Empty when the workflow would run on, and for a workflow the host completed or failed.
     *
     * @param workflowId the workflow
     * @return the signal the next checkpoint would act on, or empty
     * @throws WorkflowNotFoundException when the workflow has no thread
     */
    Optional<InterruptSignal> checkForInterrupt(long workflowId);

    // ---- agent side ----

    /**
     * A checkpoint for the workflow's agent loop. Each guard holds its own leases; several guards
     * may watch one workflow. The guard of a finished workflow throws at its first
     * {@link CheckpointGuard#check()}.
     *
     * @param workflowId the workflow, positive
     * @return a new guard for one agent loop
     * @throws InvalidArgumentException  naming {@code workflowId} when it is not positive
     * @throws WorkflowNotFoundException when the workflow has no thread
     */
    CheckpointGuard guard(long workflowId);

    /**
     * A narrator that writes an agent's comments into the workflow's thread. The workflow is not
     * looked up here: a narrator's writes to a workflow without a thread throw
     * {@link WorkflowNotFoundException}.
     *
     * @param workflowId       the workflow, positive
     * @param agentType        the agent's type ({@code plan}, {@code code}, …, at most 50
     *                         characters), or null
     * @param agentExecutionId the host's agent execution, or null
     * @return the narrator
     * @throws InvalidMessageException naming {@code workflowId} when it is not positive, or
     *                                 {@code agent_type} when it is blank or too long
     */
    AgentNarrator narrator(long workflowId, String agentType, Long agentExecutionId);

    // ---- events ----

    /**
     * Delivers the events of one workflow with {@code seq > afterSeq} (0 for the whole history,
     * or the last seq a client saw), then every later one, until closed. See
     * {@link ThreadListener} for how it is called.
     *
     * @param workflowId the workflow
     * @param afterSeq   the last {@code seq} already seen, 0 or more
     * @param listener   what the events are delivered to
     * @return the subscription; closing it stops the deliveries
     * @throws InvalidMessageException   naming {@code listener} when it is null
     * @throws InvalidArgumentException  naming {@code after} when {@code afterSeq} is negative
     * @throws WorkflowNotFoundException when the workflow has no thread
     */
    Subscription subscribe(long workflowId, long afterSeq, ThreadListener listener);

    /**
     * Delivers the events of every workflow that change after this call, until closed. See
     * {@link ThreadListener} for how it is called.
     *
     * @param listener what the events are delivered to
     * @return the subscription; closing it stops the deliveries
     * @throws InvalidMessageException naming {@code listener} when it is null
     */
    Subscription subscribeAll(ThreadListener listener);

    /**
     * Stops deliveries and the listener pool the library made. Does not close the store, nor an
     * executor it was given. Calling it again does nothing.
     */
    @Override
    void close();
}
