package dev.workflowthread.jdbc;

import static dev.workflowthread.jdbc.Schema.MESSAGE_COLUMNS;
import static dev.workflowthread.jdbc.Schema.STATE_COLUMNS;

import dev.workflowthread.ActionStatus;

/**
 * The store's SQL, composed once from the validated table names and the dialect. Every value is a
 * bound parameter; only table names and the store's own constants are part of the text.
 */
final class Statements {
    final String insertState;
    final String selectState;
    /** Followed by {@link #placeholders}: the version and last seq of some workflows. */
    final String selectVersions;
    final String lockState;
    final String updateLastSeq;
    final String updateState;
    /** {@link #updateState} of a commit that finishes the workflow: also sets {@code finished_at}. */
    final String updateStateFinishing;
    /** {@link #updateState} of a commit that makes a finished workflow run again: clears {@code finished_at}. */
    final String updateStateUnfinishing;
    /** The oldest finished workflows, by index on {@code (finished_at, workflow_id)}. */
    final String selectPurgeCandidates;
    final String lockFinishedState;
    final String lockOldestMessage;
    final String deleteMessagesUpTo;
    final String deleteState;
    final String insertMessage;
    final String resolveOpen;
    final String resolveHeld;
    final String claim;
    final String selectMessage;
    final String selectAfter;
    final String selectNewest;
    final String selectOpen;
    final String selectByKey;
    /**
     * Followed by {@code OR id IN (}{@link #placeholders} or nothing, then {@link #orderedIdsLimit}: the
     * ids and workflows of the messages after an id, by primary key.
     */
    final String selectMessageIdsAfter;
    /** What ends {@link #selectMessageIdsAfter}: ascending ids, a positional limit. */
    final String orderedIdsLimit = " ORDER BY id LIMIT ?";
    /** The highest message id, 0 when there is none: read by the primary key's last entry. */
    final String selectNewestMessageId;

    Statements(Tables tables, JdbcDialect dialect) {
        String state = tables.state();
        String messages = tables.messages();
        String acknowledged = "'" + ActionStatus.ACKNOWLEDGED.wireName() + "'";
        String pending = "'" + ActionStatus.PENDING.wireName() + "'";

        insertState = "INSERT INTO " + state + " (workflow_id, status, is_paused, last_seq, version, created_at)"
                + " VALUES (:workflowId, :status, FALSE, 0, 0, :createdAt)";
        selectState = "SELECT " + STATE_COLUMNS + " FROM " + state + " WHERE workflow_id = :workflowId";
        lockState = selectState + " FOR UPDATE";
        selectVersions = "SELECT " + Rows.STATE_CHANGE_COLUMNS + " FROM " + state + " WHERE workflow_id IN (";
        updateLastSeq = "UPDATE " + state + " SET last_seq = :lastSeq WHERE workflow_id = :workflowId";
        String setState = "UPDATE " + state + " SET status = :status, is_paused = :paused,"
                + " pause_requested_at = :pauseRequestedAt, pause_reason = :pauseReason, paused_at = :pausedAt,"
                + " redirected_to = :redirectedTo, status_reason = :statusReason, last_seq = :lastSeq,"
                + " version = :version";
        String byWorkflow = " WHERE workflow_id = :workflowId";
        updateState = setState + byWorkflow;
        updateStateFinishing = setState + ", finished_at = :finishedAt" + byWorkflow;
        updateStateUnfinishing = setState + ", finished_at = NULL" + byWorkflow;

        selectPurgeCandidates = "SELECT workflow_id FROM " + state + " WHERE finished_at < :finishedBefore"
                + " ORDER BY finished_at, workflow_id LIMIT :limit";
        // Locking reads and deletes read the newest committed rows under any isolation level,
        // also after the candidates' plain read began a snapshot (MySQL's repeatable read).
        lockFinishedState = "SELECT last_seq FROM " + state
                + " WHERE workflow_id = :workflowId AND finished_at < :finishedBefore FOR UPDATE";
        lockOldestMessage = "SELECT seq FROM " + messages
                + " WHERE workflow_id = :workflowId ORDER BY workflow_id, seq LIMIT 1 FOR UPDATE";
        deleteMessagesUpTo = "DELETE FROM " + messages + " WHERE workflow_id = :workflowId AND seq <= :upTo";
        deleteState = "DELETE FROM " + state + byWorkflow;

        insertMessage = "INSERT INTO " + messages + " (workflow_id, seq, agent_execution_id, message_type, agent_type,"
                + " content, metadata, action_type, action_status, created_at, author, open_seq, idempotency_key)"
                + " VALUES (:workflowId, :seq, :agentExecutionId, :messageType, :agentType, :content, "
                + dialect.jsonParameter("metadata") + ", :actionType, :actionStatus, :createdAt, :author, :openSeq,"
                + " :idempotencyKey)";
        String close = "UPDATE " + messages + " SET action_status = :outcome, open_seq = NULL, lease_owner = NULL,"
                + " lease_expires_at = NULL WHERE id = :id AND workflow_id = :workflowId AND open_seq IS NOT NULL";
        resolveOpen = close;
        resolveHeld = close + " AND action_status = " + acknowledged + " AND lease_owner = :leaseOwner";
        claim = "UPDATE " + messages + " SET action_status = " + acknowledged + ", lease_owner = :leaseOwner,"
                + " lease_expires_at = :leaseExpiresAt WHERE id = :id AND open_seq IS NOT NULL"
                + " AND (action_status = " + pending + " OR lease_expires_at IS NULL OR lease_expires_at <= :now)";

        selectMessageIdsAfter = "SELECT id, workflow_id FROM " + messages + " WHERE id > ?";
        selectNewestMessageId = "SELECT COALESCE(MAX(id), 0) FROM " + messages;

        String selectMessages = "SELECT " + MESSAGE_COLUMNS + " FROM " + messages;
        selectMessage = selectMessages + " WHERE id = :id";
        selectByKey = selectMessages + " WHERE workflow_id = :workflowId AND idempotency_key = :idempotencyKey";
        // Ordered by the whole key of the (workflow_id, seq) index, so that H2 walks the index in
        // order and stops at the limit instead of sorting every later message of the thread.
        selectAfter = selectMessages
                + " WHERE workflow_id = :workflowId AND seq > :afterSeq ORDER BY workflow_id, seq LIMIT :limit";
        selectNewest = selectMessages
                + " WHERE workflow_id = :workflowId ORDER BY workflow_id DESC, seq DESC LIMIT :limit";
        // open_seq is null for every closed message, so this reads only the open ones, by index.
        selectOpen = "SELECT " + MESSAGE_COLUMNS + ", lease_owner, lease_expires_at FROM " + messages
                + " WHERE workflow_id = :workflowId AND open_seq > :afterSeq ORDER BY workflow_id, open_seq LIMIT :limit";
    }

    /**
     * {@code count} positional parameters and the closing parenthesis, for {@code IN (}: written
     * out rather than left to a template engine, which a host's own {@code Jdbi} may not have.
     */
    static String placeholders(int count) {
        return "?, ".repeat(count - 1) + "?)";
    }
}
