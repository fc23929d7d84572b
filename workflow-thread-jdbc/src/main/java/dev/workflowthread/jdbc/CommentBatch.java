package dev.workflowthread.jdbc;

import static dev.workflowthread.jdbc.Rows.json;
import static dev.workflowthread.jdbc.Rows.timestamp;
import static dev.workflowthread.jdbc.Schema.STATE_COLUMNS;

import dev.workflowthread.Message;
import dev.workflowthread.MessageType;
import dev.workflowthread.WorkflowNotFoundException;
import dev.workflowthread.WorkflowState;
import dev.workflowthread.spi.Commit;
import dev.workflowthread.spi.CommitResult;
import dev.workflowthread.spi.NewMessage;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.Update;

/**
 * The writes of a group commit, inside the one transaction the store runs them in: the comments
 * of many workflows appended together. It locks the workflows' state rows with one query, in the
 * order of their ids, inserts every message with one multi-row statement, and moves every
 * {@code last_seq} with one more; the commits of one workflow get consecutive {@code seq}s in the
 * order given. A workflow without a state row fails its own commits only.
 */
final class CommentBatch {
    /** The most messages one batch inserts, which keeps its statements' parameters in every database's bounds. */
    static final int MAX_MESSAGES = 500;
    private static final String INSERTED_COLUMNS = "workflow_id, seq, agent_execution_id, message_type, agent_type,"
            + " content, metadata, action_type, action_status, created_at, author";

    private final JdbcDialect dialect;
    /** Followed by the ids' placeholders: the states, locked in the order of their ids. */
    private final String lockStates;
    private final String insertPrefix;
    private final String insertRow;
    private final String moveLastSeq;
    private final String singleMove;
    /** Followed by one {@link #insertedRange} per workflow: the ids of what the batch inserted. */
    private final String selectInserted;

    /**
     * What one commit of a batch came to: applied to {@code before}, with {@code result}; or
     * {@code failure}, for its own workflow.
     */
    record Outcome(WorkflowState before, CommitResult result, RuntimeException failure) {
    }

    CommentBatch(Tables tables, JdbcDialect dialect, Statements sql) {
        this.dialect = dialect;
        this.lockStates = "SELECT " + STATE_COLUMNS + " FROM " + tables.state() + " WHERE workflow_id IN (";
        this.insertPrefix = "INSERT INTO " + tables.messages() + " (" + INSERTED_COLUMNS + ") VALUES ";
        this.insertRow = "(?, ?, ?, ?, ?, ?, " + dialect.jsonPositional() + ", ?, ?, ?, ?)";
        this.moveLastSeq = "UPDATE " + tables.state() + " SET last_seq = CASE workflow_id";
        this.singleMove = sql.updateLastSeq;
        this.selectInserted = "SELECT id, workflow_id, seq FROM " + tables.messages() + " WHERE ";
    }

    /**
     * Whether a commit may join a group commit: it appends agent or system messages and does
     * nothing else; no state update, no resolution, no idempotency key (whose lookup and replay
     * stay with the single commit), no person's message.
     */
    static boolean qualifies(Commit commit) {
        if (commit.changesState() || !commit.resolutions().isEmpty() || commit.messages().isEmpty()) {
            return false;
        }
        for (NewMessage message : commit.messages()) {
            if (message.idempotencyKey() != null || message.messageType() == MessageType.USER) {
                return false;
            }
        }
        return true;
    }

    /** Appends the commits, which {@link #qualifies} all, and says what each came to, in their order. */
    List<Outcome> apply(Handle handle, List<Commit> commits) {
        TreeMap<Long, WorkflowState> states = lock(handle, commits);
        Map<Long, WorkflowState> current = new HashMap<>(states);
        List<Outcome> outcomes = new ArrayList<>(commits.size());
        List<Message> rows = new ArrayList<>();
        for (Commit commit : commits) {
            WorkflowState before = current.get(commit.workflowId());
            if (before == null) {
                outcomes.add(new Outcome(null, null, new WorkflowNotFoundException(commit.workflowId())));
                continue;
            }
            long seq = before.lastSeq();
            List<Message> appended = new ArrayList<>(commit.messages().size());
            for (NewMessage draft : commit.messages()) {
                seq++;
                Instant createdAt = draft.createdAt().truncatedTo(ChronoUnit.MILLIS);
                // The id is the database's: known once inserted.
                appended.add(new Message(0, commit.workflowId(), seq, draft.agentExecutionId(), draft.messageType(),
                        draft.agentType(), draft.content(), draft.metadata(), draft.actionType(), draft.actionStatus(),
                        createdAt, draft.author()));
            }
            rows.addAll(appended);
            WorkflowState after = before.withLastSeq(seq);
            current.put(commit.workflowId(), after);
            outcomes.add(new Outcome(before, CommitResult.committed(after, appended), null));
        }
        if (rows.isEmpty()) {
            return outcomes;
        }
        Map<Long, Map<Long, Long>> ids = insert(handle, rows, states);
        moveLastSeqs(handle, states, current);
        List<Outcome> withIds = new ArrayList<>(outcomes.size());
        for (Outcome outcome : outcomes) {
            if (outcome.failure() != null) {
                withIds.add(outcome);
                continue;
            }
            List<Message> stored = new ArrayList<>();
            for (Message m : outcome.result().appended()) {
                Long id = ids.getOrDefault(m.workflowId(), Map.of()).get(m.seq());
                if (id == null) {
                    throw new IllegalStateException("the database returned no id for seq " + m.seq()
                            + " of workflow " + m.workflowId());
                }
                stored.add(new Message(id, m.workflowId(), m.seq(), m.agentExecutionId(), m.messageType(),
                        m.agentType(), m.content(), m.metadata(), m.actionType(), m.actionStatus(), m.createdAt(),
                        m.author()));
            }
            withIds.add(new Outcome(outcome.before(), CommitResult.committed(outcome.result().state(), stored), null));
        }
        return withIds;
    }

    /** Locks the state rows of the commits' workflows, in the order of their ids, and reads them. */
    private TreeMap<Long, WorkflowState> lock(Handle handle, List<Commit> commits) {
        List<Long> workflowIds = commits.stream().map(Commit::workflowId).distinct().sorted().toList();
        Query query = handle.createQuery(lockStates + Statements.placeholders(workflowIds.size())
                + " ORDER BY workflow_id FOR UPDATE");
        for (int i = 0; i < workflowIds.size(); i++) {
            query.bind(i, workflowIds.get(i));
        }
        TreeMap<Long, WorkflowState> states = new TreeMap<>();
        query.map((rs, ctx) -> Rows.state(rs)).forEach(state -> states.put(state.workflowId(), state));
        return states;
    }

    /** Inserts the rows with one statement; the ids the database gave them, by workflow and seq. */
    private Map<Long, Map<Long, Long>> insert(Handle handle, List<Message> rows, TreeMap<Long, WorkflowState> before) {
        StringBuilder text = new StringBuilder(insertPrefix);
        for (int i = 0; i < rows.size(); i++) {
            text.append(i == 0 ? "" : ", ").append(insertRow);
        }
        Update insert = handle.createUpdate(text.toString());
        int p = 0;
        for (Message row : rows) {
            insert.bind(p++, row.workflowId())
                    .bind(p++, row.seq())
                    .bind(p++, row.agentExecutionId())
                    .bind(p++, row.messageType().wireName())
                    .bind(p++, row.agentType())
                    .bind(p++, row.content())
                    .bind(p++, json(row.metadata()))
                    .bind(p++, row.actionType().wireName())
                    .bind(p++, row.actionStatus().wireName())
                    .bind(p++, timestamp(row.createdAt()))
                    .bind(p++, row.author());
        }
        Map<Long, Map<Long, Long>> ids = new HashMap<>();
        if (dialect == JdbcDialect.MYSQL) {
            // MySQL's generated keys of a multi-row insert are counted on from the first, which holds
            // only when the server gave consecutive ones: read them back instead, under the locks.
            insert.execute();
            readInserted(handle, rows, before, ids);
        } else {
            insert.executeAndReturnGeneratedKeys("id", "workflow_id", "seq")
                    .map((rs, ctx) -> new long[] {rs.getLong("workflow_id"), rs.getLong("seq"), rs.getLong("id")})
                    .forEach(key -> ids.computeIfAbsent(key[0], id -> new HashMap<>()).put(key[1], key[2]));
        }
        return ids;
    }

    /** The ids of the rows just inserted: the seqs past each workflow's last seq before. */
    private void readInserted(Handle handle, List<Message> rows, TreeMap<Long, WorkflowState> before,
                              Map<Long, Map<Long, Long>> ids) {
        List<Long> workflowIds = rows.stream().map(Message::workflowId).distinct().toList();
        StringBuilder text = new StringBuilder(selectInserted);
        for (int i = 0; i < workflowIds.size(); i++) {
            text.append(i == 0 ? "" : " OR ").append("(workflow_id = ? AND seq > ?)");
        }
        Query query = handle.createQuery(text.toString());
        int p = 0;
        for (long workflowId : workflowIds) {
            query.bind(p++, workflowId).bind(p++, before.get(workflowId).lastSeq());
        }
        query.map((rs, ctx) -> new long[] {rs.getLong("workflow_id"), rs.getLong("seq"), rs.getLong("id")})
                .forEach(key -> ids.computeIfAbsent(key[0], id -> new HashMap<>()).put(key[1], key[2]));
    }

    /** Moves each workflow's {@code last_seq} to its last appended seq, with one statement. */
    private void moveLastSeqs(Handle handle, TreeMap<Long, WorkflowState> before, Map<Long, WorkflowState> after) {
        List<Long> moved = before.keySet().stream()
                .filter(id -> after.get(id).lastSeq() != before.get(id).lastSeq())
                .toList();
        if (moved.size() == 1) {
            long workflowId = moved.get(0);
            handle.createUpdate(singleMove).bind("workflowId", workflowId)
                    .bind("lastSeq", after.get(workflowId).lastSeq()).execute();
            return;
        }
        StringBuilder text = new StringBuilder(moveLastSeq);
        for (int i = 0; i < moved.size(); i++) {
            text.append(" WHEN ? THEN ?");
        }
        text.append(" END WHERE workflow_id IN (").append(Statements.placeholders(moved.size()));
        Update update = handle.createUpdate(text.toString());
        int p = 0;
        for (long workflowId : moved) {
            update.bind(p++, workflowId).bind(p++, after.get(workflowId).lastSeq());
        }
        for (long workflowId : moved) {
            update.bind(p++, workflowId);
        }
        update.execute();
    }
}
