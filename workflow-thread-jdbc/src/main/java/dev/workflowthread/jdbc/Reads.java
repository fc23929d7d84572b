package dev.workflowthread.jdbc;

import dev.workflowthread.Message;
import dev.workflowthread.WorkflowState;
import dev.workflowthread.spi.OpenMessage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;

/** What the store's reads run on the handle the store opened for them. */
final class Reads {
    private final Statements sql;

    Reads(Statements sql) {
        this.sql = sql;
    }

    Optional<WorkflowState> state(Handle handle, long workflowId) {
        return handle.createQuery(sql.selectState)
                .bind("workflowId", workflowId)
                .map((rs, ctx) -> Rows.state(rs))
                .findOne();
    }

    List<Message> after(Handle handle, long workflowId, long afterSeq, int limit) {
        return handle.createQuery(sql.selectAfter)
                .bind("workflowId", workflowId)
                .bind("afterSeq", afterSeq)
                .bind("limit", limit)
                .map((rs, ctx) -> Rows.message(rs))
                .list();
    }

    /** The newest {@code limit} messages, oldest first. */
    List<Message> newest(Handle handle, long workflowId, int limit) {
        List<Message> newestFirst = handle.createQuery(sql.selectNewest)
                .bind("workflowId", workflowId)
                .bind("limit", limit)
                .map((rs, ctx) -> Rows.message(rs))
                .list();
        List<Message> ascending = new ArrayList<>(newestFirst);
        Collections.reverse(ascending);
        return ascending;
    }

    List<OpenMessage> openUserMessages(Handle handle, long workflowId, long afterSeq, int limit) {
        return handle.createQuery(sql.selectOpen)
                .bind("workflowId", workflowId)
                .bind("afterSeq", afterSeq)
                .bind("limit", limit)
                .map((rs, ctx) -> new OpenMessage(Rows.message(rs), rs.getString("lease_owner"),
                        Rows.instant(rs, "lease_expires_at")))
                .list();
    }

    /** A message's id and its workflow: what {@link ChangePolling} reads of the newest messages. */
    record MessageId(long id, long workflowId) {
    }

    /**
     * The ids and workflows of up to {@code limit} messages, ascending: those after {@code afterId}
     * and those of {@code alsoIds} (which may be gone, or were never committed).
     */
    List<MessageId> messageIdsAfter(Handle handle, long afterId, List<Long> alsoIds, int limit) {
        String text = sql.selectMessageIdsAfter
                + (alsoIds.isEmpty() ? "" : " OR id IN (" + Statements.placeholders(alsoIds.size()))
                + sql.orderedIdsLimit;
        Query query = handle.createQuery(text).bind(0, afterId);
        for (int i = 0; i < alsoIds.size(); i++) {
            query.bind(i + 1, alsoIds.get(i));
        }
        return query.bind(alsoIds.size() + 1, limit)
                .map((rs, ctx) -> new MessageId(rs.getLong("id"), rs.getLong("workflow_id")))
                .list();
    }

    /** The highest message id committed, 0 when there is none. */
    long newestMessageId(Handle handle) {
        return handle.createQuery(sql.selectNewestMessageId).mapTo(Long.class).one();
    }

    Optional<Message> message(Handle handle, long messageId) {
        return handle.createQuery(sql.selectMessage)
                .bind("id", messageId)
                .map((rs, ctx) -> Rows.message(rs))
                .findOne();
    }
}
