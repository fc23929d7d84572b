package dev.workflowthread.jdbc;

import static dev.workflowthread.jdbc.Rows.json;
import static dev.workflowthread.jdbc.Rows.timestamp;

import dev.workflowthread.Message;
import dev.workflowthread.MessageType;
import dev.workflowthread.PurgeResult;
import dev.workflowthread.WorkflowNotFoundException;
import dev.workflowthread.WorkflowState;
import dev.workflowthread.WorkflowStatus;
import dev.workflowthread.spi.Commit;
import dev.workflowthread.spi.CommitResult;
import dev.workflowthread.spi.NewMessage;
import dev.workflowthread.spi.Resolution;
import dev.workflowthread.spi.StateUpdate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.SqlStatement;
import org.jdbi.v3.core.statement.Update;

/**
 * What the store's writes do inside the transaction the store runs them in: a new state row, a
 * commit's steps under the state row's lock, a claim, and a purge batch. Retries, commit order and telling the
 * listeners are the store's.
 */
final class Writes {
    /** The most finished workflows one purge batch looks at. */
    private static final int PURGE_CANDIDATES = 500;

    /**
     * A notification to send in the statement that updates the state (PostgreSQL's
     * {@code pg_notify}), so that it costs no round trip of its own; sent, as any NOTIFY, when the
     * transaction commits.
     */
    record Notice(String channel, String payload) {
    }

    private final Statements sql;

    Writes(Statements sql) {
        this.sql = sql;
    }

    /** The state row of a workflow just started. */
    int insertState(Handle handle, long workflowId, Instant createdAt) {
        return handle.createUpdate(sql.insertState)
                .bind("workflowId", workflowId)
                .bind("status", WorkflowStatus.RUNNING.wireName())
                .bind("createdAt", timestamp(createdAt))
                .execute();
    }

    /** Locks the workflow's state row ({@code SELECT … FOR UPDATE}) and reads it. */
    WorkflowState lockState(Handle handle, long workflowId) {
        return handle.createQuery(sql.lockState)
                .bind("workflowId", workflowId)
                .map((rs, ctx) -> Rows.state(rs))
                .findOne()
                .orElseThrow(() -> new WorkflowNotFoundException(workflowId));
    }

    /**
     * Everything of a commit but the state row's lock; throws {@link Conflict} to roll back. A
     * commit that updates the state also sends {@code notice}'s notification of the state after,
     * in the same statement, when {@code notice} gives one (it gives null without notifications).
     */
    CommitResult apply(Handle handle, Commit commit, WorkflowState before, Function<WorkflowState, Notice> notice) {
        long workflowId = commit.workflowId();
        // Under the state row's lock: of the commits with one key, in any process, the first
        // stores its message and every later one finds it here.
        List<Message> stored = new ArrayList<>();
        for (NewMessage draft : commit.messages()) {
            if (draft.idempotencyKey() != null) {
                handle.createQuery(sql.selectByKey)
                        .bind("workflowId", workflowId)
                        .bind("idempotencyKey", draft.idempotencyKey())
                        .map((rs, ctx) -> Rows.message(rs))
                        .findOne()
                        .ifPresent(stored::add);
            }
        }
        if (!stored.isEmpty()) {
            return CommitResult.replayed(before, stored);
        }
        if (commit.changesState() && before.version() != commit.expectedVersion()) {
            throw new Conflict(before);
        }
        for (Resolution resolution : commit.resolutions()) {
            boolean held = resolution.leaseOwner() != null;
            Update close = handle.createUpdate(held ? sql.resolveHeld : sql.resolveOpen)
                    .bind("outcome", resolution.outcome().wireName())
                    .bind("id", resolution.messageId())
                    .bind("workflowId", workflowId);
            if (held) {
                close.bind("leaseOwner", resolution.leaseOwner());
            }
            int changed = close.execute();
            if (changed == 0 && resolution.required()) {
                throw new Conflict(before);
            }
        }
        List<Message> appended = new ArrayList<>(commit.messages().size());
        long seq = before.lastSeq();
        for (NewMessage draft : commit.messages()) {
            seq++;
            Instant createdAt = draft.createdAt().truncatedTo(ChronoUnit.MILLIS);
            boolean open = draft.messageType() == MessageType.USER && draft.actionStatus().isOpen();
            long id = handle.createUpdate(sql.insertMessage)
                    .bind("workflowId", workflowId)
                    .bind("seq", seq)
                    .bind("agentExecutionId", draft.agentExecutionId())
                    .bind("messageType", draft.messageType().wireName())
                    .bind("agentType", draft.agentType())
                    .bind("content", draft.content())
                    .bind("metadata", json(draft.metadata()))
                    .bind("actionType", draft.actionType().wireName())
                    .bind("actionStatus", draft.actionStatus().wireName())
                    .bind("createdAt", timestamp(createdAt))
                    .bind("author", draft.author())
                    .bind("openSeq", open ? seq : null)
                    .bind("idempotencyKey", draft.idempotencyKey())
                    .executeAndReturnGeneratedKeys("id")
                    .mapTo(Long.class)
                    .one();
            appended.add(new Message(id, workflowId, seq, draft.agentExecutionId(), draft.messageType(),
                    draft.agentType(), draft.content(), draft.metadata(), draft.actionType(), draft.actionStatus(),
                    createdAt, draft.author()));
        }
        WorkflowState after;
        StateUpdate update = commit.stateUpdate();
        if (update == null) {
            after = before.withLastSeq(seq);
            if (seq != before.lastSeq()) {
                handle.createUpdate(sql.updateLastSeq).bind("workflowId", workflowId).bind("lastSeq", seq).execute();
            }
        } else {
            after = update.truncatedTo(ChronoUnit.MILLIS).applyTo(before, seq);
            boolean finishing = !before.isFinished() && after.isFinished();
            String statement = finishing ? sql.updateStateFinishing
                    : before.isFinished() && !after.isFinished() ? sql.updateStateUnfinishing : sql.updateState;
            Notice sent = notice.apply(after);
            if (sent == null) {
                bindState(handle.createUpdate(statement), workflowId, after, seq, finishing, appended).execute();
            } else {
                bindState(handle.createQuery("WITH moved AS (" + statement + " RETURNING workflow_id)"
                                + " SELECT pg_notify(:channel, :payload) FROM moved"), workflowId, after, seq, finishing, appended)
                        .bind("channel", sent.channel())
                        .bind("payload", sent.payload())
                        .mapTo(String.class)
                        .findFirst();
            }
        }
        return CommitResult.committed(after, appended);
    }

    /** Binds the state update's values to {@code write}, an update or a query that wraps it. */
    private static <T extends SqlStatement<T>> T bindState(T write, long workflowId, WorkflowState after, long seq,
                                                           boolean finishing, List<Message> appended) {
        if (finishing) {
            // When it finished: the time of the commit's newest message (the library appends
            // one to every commit that finishes a workflow), else now.
            write.bind("finishedAt", timestamp(appended.isEmpty() ? Instant.now()
                    : appended.get(appended.size() - 1).createdAt()));
        }
        return write.bind("workflowId", workflowId)
                .bind("status", after.status().wireName())
                .bind("paused", after.paused())
                .bind("pauseRequestedAt", timestamp(after.pauseRequestedAt()))
                .bind("pauseReason", after.pauseReason())
                .bind("pausedAt", timestamp(after.pausedAt()))
                .bind("redirectedTo", after.redirectedTo())
                .bind("statusReason", after.statusReason())
                .bind("lastSeq", seq)
                .bind("version", after.version());
    }

    /** Whether the message was taken: open, and pending or its lease run out. */
    boolean claim(Handle handle, long messageId, String leaseOwner, Instant now, Instant leaseExpiresAt) {
        return handle.createUpdate(sql.claim)
                .bind("id", messageId)
                .bind("leaseOwner", leaseOwner)
                .bind("leaseExpiresAt", timestamp(leaseExpiresAt))
                .bind("now", timestamp(now))
                .execute() != 0;
    }

    /**
     * One purge batch: the oldest finished workflows, each locked as a commit locks it and
     * checked again, their oldest messages deleted by seq range, then the state with the last.
     */
    PurgeResult purgeBatch(Handle handle, Instant finishedBefore, int maxMessages) {
        List<Long> candidates = handle.createQuery(sql.selectPurgeCandidates)
                .bind("finishedBefore", timestamp(finishedBefore))
                .bind("limit", Math.min(maxMessages, PURGE_CANDIDATES))
                .mapTo(Long.class)
                .list();
        long budget = maxMessages;
        long workflows = 0;
        long messages = 0;
        for (long workflowId : candidates) {
            if (budget == 0) {
                break;
            }
            // Held as a commit holds it, and checked again: still finished, still old enough.
            Optional<Long> lastSeq = handle.createQuery(sql.lockFinishedState)
                    .bind("workflowId", workflowId)
                    .bind("finishedBefore", timestamp(finishedBefore))
                    .mapTo(Long.class)
                    .findOne();
            if (lastSeq.isEmpty()) {
                continue; // purged by another process meanwhile
            }
            Optional<Long> oldest = handle.createQuery(sql.lockOldestMessage)
                    .bind("workflowId", workflowId)
                    .mapTo(Long.class)
                    .findOne();
            if (oldest.isPresent()) {
                // seqs are gap-free, so this range holds at most budget messages.
                long upTo = oldest.get() + budget - 1;
                int deleted = handle.createUpdate(sql.deleteMessagesUpTo)
                        .bind("workflowId", workflowId)
                        .bind("upTo", upTo)
                        .execute();
                budget -= deleted;
                messages += deleted;
                if (upTo < lastSeq.get()) {
                    break; // the rest of this thread is for the next batch
                }
            }
            handle.createUpdate(sql.deleteState).bind("workflowId", workflowId).execute();
            workflows++;
        }
        return new PurgeResult(workflows, messages);
    }

    /** A commit that must not apply: the state is not as expected, or a required resolution failed. */
    static final class Conflict extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient WorkflowState current;

        Conflict(WorkflowState current) {
            super("conflict", null, false, false);
            this.current = current;
        }

        WorkflowState current() {
            return current;
        }
    }
}
