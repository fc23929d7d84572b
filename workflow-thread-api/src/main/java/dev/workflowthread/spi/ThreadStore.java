package dev.workflowthread.spi;

import dev.workflowthread.ActionStatus;
import dev.workflowthread.Message;
import dev.workflowthread.PurgeResult;
import dev.workflowthread.StorageException;
import dev.workflowthread.Subscription;
import dev.workflowthread.WorkflowNotFoundException;
import dev.workflowthread.WorkflowState;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where threads are kept. The library does all the deciding; a store only has to make these few
 * operations atomic and safe to call from many threads, and (for a shared database) from many
 * processes at once.
 *
 * <p>Every method may throw {@link StorageException} when the underlying storage fails; the
 * operation then had no effect. When a store cannot know whether a write took effect (its
 * connection failed during the commit), it throws {@link dev.workflowthread.OutcomeUnknownException}
 * instead: the write may be there whole, or not at all. A store passes the contract suite of
 * {@code workflow-thread-tck}.
 */
public interface ThreadStore extends AutoCloseable {

    /**
     * Creates the workflow's state as {@link WorkflowState#started(long)} unless it exists, and
     * returns the state as it is now. Concurrent calls for one workflow create it once.
     *
     * @param workflowId the host's workflow id
     * @param now        the time of the creation, on the library's clock, for a store that records it
     * @return the new state, or the existing one unchanged
     */
    WorkflowState createIfAbsent(long workflowId, Instant now);

    /**
     * The workflow's state as committed.
     *
     * @param workflowId the host's workflow id
     * @return the state, or empty when {@link #createIfAbsent} was never called for it (or its
     *         thread was purged since)
     */
    Optional<WorkflowState> findState(long workflowId);

    /**
     * Applies a {@link Commit} atomically: all of it or, on a conflict, nothing.
     *
     * <ul>
     *   <li>Appended messages get ids unique across the store and {@code seq}s following the
     *       workflow's {@code lastSeq} without gap, in commit order: seqs are given out while the
     *       workflow is held exclusively, so a reader that sees seq {@code n} committed sees every
     *       seq below it committed too.</li>
     *   <li>With a state update, the commit applies only if the state's version equals
     *       {@code expectedVersion}, and then sets the version to {@code expectedVersion + 1}.</li>
     *   <li>Each {@link Resolution} changes a user message of this workflow under its condition;
     *       a required one whose condition fails makes the commit a conflict. A resolution of a
     *       message of another workflow is a conflict too.</li>
     *   <li>When a message carries an {@link NewMessage#idempotencyKey() idempotency key} the
     *       workflow already holds, the commit applies nothing, neither the version check nor the
     *       resolutions, and returns {@link CommitResult#replayed} with the stored messages. This
     *       is decided while the workflow is held, so of concurrent commits with one key, in any
     *       processes, one applies and the others replay.</li>
     * </ul>
     *
     * @param commit what to write
     * @return whether it applied, the workflow's state, and the appended (or, when replayed, the
     *         already stored) messages
     * @throws WorkflowNotFoundException when the workflow has no state
     */
    CommitResult commit(Commit commit);

    /**
     * A page of the workflow's messages after a cursor.
     *
     * @param workflowId the host's workflow id
     * @param afterSeq   only messages with a greater {@code seq}; 0 or more
     * @param limit      the most messages to return, at least 1
     * @return up to {@code limit} messages with {@code seq > afterSeq}, ascending by {@code seq};
     *         empty for a workflow without state
     */
    List<Message> readAfter(long workflowId, long afterSeq, int limit);

    /**
     * The end of the workflow's thread.
     *
     * @param workflowId the host's workflow id
     * @param limit      the most messages to return, at least 1
     * @return the newest {@code limit} messages, ascending by {@code seq}; empty for a workflow
     *         without state
     */
    List<Message> readNewest(long workflowId, int limit);

    /**
     * Up to {@code limit} user messages of the workflow with {@code seq > afterSeq} whose status is
     * {@link ActionStatus#PENDING} or {@link ActionStatus#ACKNOWLEDGED}, ascending by {@code seq},
     * with their leases. Must be an index lookup whose cost does not grow with the number of
     * closed messages.
     *
     * @param workflowId the host's workflow id
     * @param afterSeq   only messages with a greater {@code seq}; 0 or more
     * @param limit      the most messages to return, at least 1
     * @return the open user messages with their lease owners and expiries; empty for a workflow
     *         without state
     */
    List<OpenMessage> findOpenUserMessages(long workflowId, long afterSeq, int limit);

    /**
     * One message by its id.
     *
     * @param messageId the message's id
     * @return the message, of whatever workflow, or empty when no message has this id
     */
    Optional<Message> findMessage(long messageId);

    /**
     * Takes a user message under a lease, by primary key and under condition: it succeeds only if
     * the message is {@link ActionStatus#PENDING}, or {@link ActionStatus#ACKNOWLEDGED} with a
     * lease that ran out at or before {@code now}. Of many concurrent claims of one message, at
     * most one succeeds per lease.
     *
     * @param messageId      the user message to take
     * @param leaseOwner     who takes it (a checkpoint's own id)
     * @param now            the time the condition is judged at, on the library's clock
     * @param leaseExpiresAt until when {@code leaseOwner} holds it
     * @return the message, now acknowledged by {@code leaseOwner} until {@code leaseExpiresAt};
     *         empty when the condition did not hold
     */
    Optional<Message> claim(long messageId, String leaseOwner, Instant now, Instant leaseExpiresAt);

    /**
     * Deletes one bounded batch of the threads of finished workflows (cancelled, redirected,
     * completed or failed) that finished before {@code finishedBefore}, in one short transaction of
     * its own, and returns what it deleted; {@link PurgeResult#NONE} when nothing is left to delete.
     * The library calls it again until then.
     *
     * <ul>
     *   <li>A workflow finished when the commit that gave it a finished status applied; a store
     *       records that time as the {@code createdAt} of the newest message of that commit (the
     *       library always appends one), or its own current time when the commit appended none.</li>
     *   <li>A batch deletes at most {@code maxMessages} messages, oldest workflows first, and the
     *       state of each workflow whose last message it deleted (or that had none), at most
     *       {@code maxMessages} states. A thread longer than a batch loses its oldest messages
     *       first; its state goes with its last message, so a reader never sees messages of a
     *       workflow without state.</li>
     *   <li>It re-checks each workflow under the same exclusive hold a {@link #commit} takes: a
     *       running or paused workflow is never touched. A commit racing the purge of a workflow
     *       either applies before that workflow's last batch, and its messages are purged with it,
     *       or after it, and then fails with {@link WorkflowNotFoundException}, as for a workflow
     *       that never started.</li>
     *   <li>Once purged, the workflow has no state: {@link #findState} is empty, and
     *       {@link #createIfAbsent} starts it afresh, at {@code seq} 1.</li>
     *   <li>Listeners are told nothing: a purge changes no thread that anybody still writes to.</li>
     * </ul>
     *
     * @param finishedBefore only workflows that finished strictly before this time are deleted
     * @param maxMessages    the most messages (and the most states) this batch deletes, at least 1
     * @return the workflows whose thread this batch removed entirely, and the messages it deleted
     */
    PurgeResult purgeFinished(Instant finishedBefore, int maxMessages);

    /**
     * Registers a listener for committed changes. A store tells it about every commit made through
     * this store object, at once and in commit order per workflow. A store that returns true from
     * {@link #notifiesAllChanges()} also tells it, within a bound the store documents, about the
     * commits of other processes to the workflows the listener
     * {@linkplain StoreChangeListener#watchedWorkflows() watches}; otherwise the library falls back
     * on polling.
     *
     * @param listener what to tell
     * @return the registration; closing it stops the calls
     */
    Subscription addChangeListener(StoreChangeListener listener);

    /**
     * True when {@link #addChangeListener} listeners hear of every commit to a watched workflow
     * that any user of the underlying storage makes, so that a JVM needs no polling of its own to
     * see changes. Such a store tells its listeners {@link StoreChangeListener#hearingLost()} while
     * it cannot hear them, and the library polls meanwhile.
     *
     * @return whether this store tells of other processes' commits
     */
    boolean notifiesAllChanges();

    /** Releases what the store made (pools, threads). Does not close what it was given. */
    @Override
    void close();
}
