package dev.workflowthread.jdbc;

import dev.workflowthread.ActionStatus;
import dev.workflowthread.ActionType;
import dev.workflowthread.InvalidMessageException;
import dev.workflowthread.Message;
import dev.workflowthread.MessageType;
import dev.workflowthread.WorkflowState;
import dev.workflowthread.WorkflowStatus;
import dev.workflowthread.spi.MetadataCodec;
import dev.workflowthread.spi.StoreChange;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.jdbi.v3.core.argument.Argument;

/**
 * Rows and values: a state or message row as the API's objects, metadata as JSON text, and times
 * as UTC with millisecond precision, bound as {@link LocalDateTime} so that no time zone applies.
 */
final class Rows {

    /** The columns {@link #stateChange} reads. */
    static final String STATE_CHANGE_COLUMNS = "workflow_id, version, last_seq, status";

    private Rows() {
    }

    /** A row of {@link Schema#STATE_COLUMNS}. */
    static WorkflowState state(ResultSet rs) throws SQLException {
        long redirectedTo = rs.getLong("redirected_to");
        Long redirected = rs.wasNull() ? null : redirectedTo;
        return new WorkflowState(rs.getLong("workflow_id"), WorkflowStatus.fromWire(rs.getString("status")),
                rs.getBoolean("is_paused"), instant(rs, "pause_requested_at"), rs.getString("pause_reason"),
                instant(rs, "paused_at"), redirected, rs.getString("status_reason"), rs.getLong("last_seq"),
                rs.getLong("version"));
    }

    /** A state row of {@link #STATE_CHANGE_COLUMNS} as a change whose earlier seq is unknown. */
    static StoreChange stateChange(ResultSet rs) throws SQLException {
        long lastSeq = rs.getLong("last_seq");
        return new StoreChange(rs.getLong("workflow_id"), rs.getLong("version"), lastSeq, lastSeq,
                WorkflowStatus.fromWire(rs.getString("status")).isFinished());
    }

    /** A row of {@link Schema#MESSAGE_COLUMNS}. */
    static Message message(ResultSet rs) throws SQLException {
        long agentExecutionId = rs.getLong("agent_execution_id");
        Long agentExecution = rs.wasNull() ? null : agentExecutionId;
        return new Message(rs.getLong("id"), rs.getLong("workflow_id"), rs.getLong("seq"), agentExecution,
                MessageType.fromWire(rs.getString("message_type")), rs.getString("agent_type"),
                rs.getString("content"), metadata(rs.getString("metadata")),
                ActionType.fromWire(rs.getString("action_type")), ActionStatus.fromWire(rs.getString("action_status")),
                instant(rs, "created_at"), rs.getString("author"));
    }

    private static Map<String, Object> metadata(String json) throws SQLException {
        try {
            return MetadataCodec.fromJson(json);
        } catch (IllegalArgumentException e) {
            throw new SQLException(e.getMessage(), e.getCause());
        }
    }

    static String json(Map<String, Object> metadata) {
        try {
            return MetadataCodec.toJson(metadata);
        } catch (InvalidMessageException e) {
            // NewMessage holds only values JSON can hold, so this is a bug, not bad input.
            throw new IllegalStateException("metadata cannot be written as JSON", e);
        }
    }

    /** A UTC time with millisecond precision, or SQL NULL; bound as a LocalDateTime so no time zone applies. */
    static Argument timestamp(Instant instant) {
        if (instant == null) {
            return (position, statement, context) -> statement.setNull(position, Types.TIMESTAMP);
        }
        LocalDateTime utc = LocalDateTime.ofInstant(instant.truncatedTo(ChronoUnit.MILLIS), ZoneOffset.UTC);
        return (position, statement, context) -> statement.setObject(position, utc);
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        LocalDateTime utc = rs.getObject(column, LocalDateTime.class);
        return utc == null ? null : utc.toInstant(ZoneOffset.UTC);
    }
}
