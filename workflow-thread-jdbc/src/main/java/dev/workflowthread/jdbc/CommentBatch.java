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
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.SqlStatement;
import org.jdbi.v3.core.statement.Update;

/**
 * The writes of a group commit, inside the one transaction the store runs them in: the comments
 * of many workflows appended together. On H2 and MySQL it locks the workflows' state rows with one
 * query, in the order of their ids, inserts every message with one multi-row statement (MySQL then
 * reads their ids back, unless there is one), and moves every {@code last_seq} with one more. On
 * PostgreSQL one statement does it all: it moves the {@code last_seq}s (locking the rows), inserts
 * below them and returns the ids, so a batch with its commit is two round trips. The commits of one
 * workflow get consecutive {@code seq}s in the order given. A workflow without a state row fails
 * its own commits only.
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
    /** The ids of what the batch inserted, followed by one condition per workflow. */
    private final String selectInserted;
    /** PostgreSQL's one statement for a whole batch, in three parts around its two lists of values. */
    private final String[] postgresBatch;
    private final String postgresRow;

    /**
     * What one commit of a batch came to: applied to {@code before}, with {@code result}; or
     * {@code failure}, for its own workflow.
     */
    record Outcome(WorkflowState before, CommitResult result, RuntimeException failure) {
    }

    /** A message to insert at {@code seq} of its workflow. */
    private record Row(long workflowId, long seq, NewMessage draft) {
    }

    CommentBatch(Tables tables, JdbcDialect dialect, Statements sql) {
        this.dialect = dialect;
        this.lockStates = "SELECT " + STATE_COLUMNS + " FROM " + tables.state() + " WHERE workflow_id IN (";
        this.insertPrefix = "INSERT INTO " + tables.messages() + " (" + INSERTED_COLUMNS + ") VALUES ";
        this.insertRow = "(?, ?, ?, ?, ?, ?, " + dialect.jsonPositional() + ", ?, ?, ?, ?)";
        this.moveLastSeq = "UPDATE " + tables.state() + " SET last_seq = CASE workflow_id";
        this.singleMove = sql.updateLastSeq;
        this.selectInserted = "SELECT id, workflow_id, seq FROM " + tables.messages() + " WHERE ";
        String movedColumns = Arrays.stream(STATE_COLUMNS.split(","))
                .map(column -> "s." + column.strip())
                .collect(Collectors.joining(", "));
        String keptColumns = Arrays.stream(STATE_COLUMNS.split(","))
                .map(column -> "m." + column.strip())
                .collect(Collectors.joining(", "));
        // Moves each last_seq by the workflow's count of messages (locking its row), inserts the
        // messages with the seqs below the new last_seq, and returns each new message's id with
        // its workflow's new state.
        this.postgresBatch = new String[] {
            "WITH moved AS (UPDATE " + tables.state() + " AS s SET last_seq = s.last_seq + v.n FROM (VALUES ",
            ") AS v (workflow_id, n) WHERE s.workflow_id = v.workflow_id RETURNING " + movedColumns + ", v.n),"
                    + " inserted AS (INSERT INTO " + tables.messages() + " (" + INSERTED_COLUMNS + ")"
                    + " SELECT r.workflow_id, m.last_seq - m.n + r.k, r.agent_execution_id, r.message_type,"
                    + " r.agent_type, r.content, CAST(r.metadata AS JSONB), r.action_type, r.action_status,"
                    + " r.created_at, r.author FROM (VALUES ",
            ") AS r (workflow_id, k, agent_execution_id, message_type, agent_type, content, metadata, action_type,"
                    + " action_status, created_at, author) JOIN moved AS m ON m.workflow_id = r.workflow_id"
                    + " RETURNING id, workflow_id, seq)"
                    + " SELECT i.id AS message_id, i.seq AS message_seq, " + keptColumns
                    + " FROM inserted AS i JOIN moved AS m ON m.workflow_id = i.workflow_id"
        };
        this.postgresRow = "(CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS TEXT),"
                + " CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT),"
                + " CAST(? AS TIMESTAMP), CAST(? AS TEXT))";
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
        return dialect == JdbcDialect.POSTGRESQL ? applyInOneStatement(handle, commits) : applyInSteps(handle, commits);
    }

    /**
     * PostgreSQL: one statement moves the {@code last_seq}s (which locks the rows) and inserts,
     * so that a batch, with its commit, is two round trips.
     */
    private List<Outcome> applyInOneStatement(Handle handle, List<Commit> commits) {
        Map<Long, Integer> counts = new LinkedHashMap<>();
        for (Commit commit : commits) {
            counts.merge(commit.workflowId(), commit.messages().size(), Integer::sum);
        }
        StringBuilder text = new StringBuilder(postgresBatch[0]);
        for (int i = 0; i < counts.size(); i++) {
            text.append(i == 0 ? "" : ", ").append("(CAST(? AS BIGINT), CAST(? AS BIGINT))");
        }
        text.append(postgresBatch[1]);
        int rows = commits.stream().mapToInt(commit -> commit.messages().size()).sum();
        for (int i = 0; i < rows; i++) {
            text.append(i == 0 ? "" : ", ").append(postgresRow);
        }
        text.append(postgresBatch[2]);
        Query statement = handle.createQuery(text.toString());
        int p = 0;
        for (Map.Entry<Long, Integer> count : counts.entrySet()) {
            statement.bind(p++, count.getKey()).bind(p++, (long) count.getValue());
        }
        Map<Long, Integer> offsets = new HashMap<>();
        for (Commit commit : commits) {
            for (NewMessage draft : commit.messages()) {
                int k = offsets.merge(commit.workflowId(), 1, Integer::sum);
                p = bindRow(statement, p, commit.workflowId(), k, draft);
            }
        }
        Map<Long, WorkflowState> after = new HashMap<>();
        Map<Long, Map<Long, Long>> ids = new HashMap<>();
        statement.map((rs, ctx) -> {
            WorkflowState state = Rows.state(rs);
            after.put(state.workflowId(), state);
            ids.computeIfAbsent(state.workflowId(), id -> new HashMap<>())
                    .put(rs.getLong("message_seq"), rs.getLong("message_id"));
            return state;
        }).list();
        Map<Long, WorkflowState> current = new HashMap<>();
        after.forEach((workflowId, state) ->
                current.put(workflowId, state.withLastSeq(state.lastSeq() - counts.get(workflowId))));
        return outcomes(commits, current, ids);
    }

    /**
     * Binds one message row from position {@code p}: its workflow, {@code place} (its seq, or on
     * PostgreSQL its place among the workflow's rows), and the draft's fields; the next position.
     */
    private static int bindRow(SqlStatement<?> statement, int p, long workflowId, long place, NewMessage draft) {
        statement.bind(p++, workflowId)
                .bind(p++, place)
                .bind(p++, draft.agentExecutionId())
                .bind(p++, draft.messageType().wireName())
                .bind(p++, draft.agentType())
                .bind(p++, draft.content())
                .bind(p++, json(draft.metadata()))
                .bind(p++, draft.actionType().wireName())
                .bind(p++, draft.actionStatus().wireName())
                .bind(p++, timestamp(draft.createdAt()))
                .bind(p++, draft.author());
        return p;
    }

    /**
     * Each commit's outcome, from the state each workflow had before the batch ({@code current},
     * which this moves on) and the ids the database gave: the commits of one workflow follow each
     * other in their order; one whose workflow is missing fails.
     */
    private static List<Outcome> outcomes(List<Commit> commits, Map<Long, WorkflowState> current,
                                          Map<Long, Map<Long, Long>> ids) {
        List<Outcome> outcomes = new ArrayList<>(commits.size());
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
                Long id = ids.getOrDefault(commit.workflowId(), Map.of()).get(seq);
                if (id == null) {
                    throw new IllegalStateException("the database returned no id for seq " + seq
                            + " of workflow " + commit.workflowId());
                }
                appended.add(new Message(id, commit.workflowId(), seq, draft.agentExecutionId(), draft.messageType(),
                        draft.agentType(), draft.content(), draft.metadata(), draft.actionType(), draft.actionStatus(),
                        draft.createdAt().truncatedTo(ChronoUnit.MILLIS), draft.author()));
            }
            WorkflowState after = before.withLastSeq(seq);
            current.put(commit.workflowId(), after);
            outcomes.add(new Outcome(before, CommitResult.committed(after, appended), null));
        }
        return outcomes;
    }

    /** H2 and MySQL: the rows locked, the messages inserted, the {@code last_seq}s moved, one statement each. */
    private List<Outcome> applyInSteps(Handle handle, List<Commit> commits) {
        TreeMap<Long, WorkflowState> states = lock(handle, commits);
        Map<Long, Long> lastSeqs = new HashMap<>();
        states.forEach((workflowId, state) -> lastSeqs.put(workflowId, state.lastSeq()));
        List<Row> rows = new ArrayList<>();
        for (Commit commit : commits) {
            Long seq = lastSeqs.get(commit.workflowId());
            if (seq == null) {
                continue; // no such workflow: outcomes() fails this commit
            }
            for (NewMessage draft : commit.messages()) {
                seq++;
                rows.add(new Row(commit.workflowId(), seq, draft));
            }
            lastSeqs.put(commit.workflowId(), seq);
        }
        Map<Long, Map<Long, Long>> ids = rows.isEmpty() ? Map.of() : insert(handle, rows, states);
        if (!rows.isEmpty()) {
            moveLastSeqs(handle, states, lastSeqs);
        }
        return outcomes(commits, new HashMap<>(states), ids);
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
    private Map<Long, Map<Long, Long>> insert(Handle handle, List<Row> rows, TreeMap<Long, WorkflowState> before) {
        StringBuilder text = new StringBuilder(insertPrefix);
        for (int i = 0; i < rows.size(); i++) {
            text.append(i == 0 ? "" : ", ").append(insertRow);
        }
        Update insert = handle.createUpdate(text.toString());
        int p = 0;
        for (Row row : rows) {
            p = bindRow(insert, p, row.workflowId(), row.seq(), row.draft());
        }
        Map<Long, Map<Long, Long>> ids = new HashMap<>();
        if (rows.size() == 1) {
            // One row: its generated key is exact on every database.
            Row row = rows.get(0);
            long id = insert.executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
            ids.put(row.workflowId(), Map.of(row.seq(), id));
        } else if (dialect == JdbcDialect.MYSQL) {
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
    private void readInserted(Handle handle, List<Row> rows, TreeMap<Long, WorkflowState> before,
                              Map<Long, Map<Long, Long>> ids) {
        List<Long> workflowIds = rows.stream().map(Row::workflowId).distinct().toList();
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
    private void moveLastSeqs(Handle handle, TreeMap<Long, WorkflowState> before, Map<Long, Long> after) {
        List<Long> moved = before.keySet().stream()
                .filter(id -> after.get(id) != before.get(id).lastSeq())
                .toList();
        if (moved.size() == 1) {
            long workflowId = moved.get(0);
            handle.createUpdate(singleMove).bind("workflowId", workflowId)
                    .bind("lastSeq", after.get(workflowId)).execute();
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
            update.bind(p++, workflowId).bind(p++, after.get(workflowId));
        }
        for (long workflowId : moved) {
            update.bind(p++, workflowId);
        }
        update.execute();
    }
}
