package dev.workflowthread.benchmarks;

import dev.workflowthread.ActionType;
import dev.workflowthread.AgentNarrator;
import dev.workflowthread.SendRequest;
import dev.workflowthread.WorkflowMessages;
import dev.workflowthread.inmemory.InMemoryThreadStore;
import dev.workflowthread.spi.ThreadStore;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Locale;

/**
 * Fills a store with many threads of one {@link Shape}, for the benchmarks that read from a big
 * table: writing a million messages through the API, one commit each, would take longer than the
 * benchmark itself.
 *
 * <p>On a database the library first creates its tables (a store is built once on the prefix);
 * the rows then go in by plain JDBC batch inserts of {@value #BATCH}, one transaction per batch
 * (on PostgreSQL with {@code reWriteBatchedInserts=true}; MariaDB's driver sends batched inserts
 * in bulk by default), and the tables are analyzed (on PostgreSQL also vacuumed, which sets the
 * hint bits and visibility map that a table of old rows has, instead of leaving the first reads
 * of each page to write them). The rows are those the library writes for the same calls, but
 * for their ids and times:
 * {@link WorkflowMessages#start} (a running state row), agent comments by
 * {@link AgentNarrator#say} (processed, {@code open_seq} null) and one instruction by
 * {@link WorkflowMessages#send} (pending, {@code open_seq = seq}, which also moved the state's
 * {@code version} to 1); {@code last_seq} is the thread's length. Unlike threads written over
 * time, each workflow's messages lie together, in {@code seq} order; the benchmarks read by
 * index, one workflow at a time. {@link #writeThroughLibrary} makes the same threads through the
 * API, for the in-memory store.
 *
 * <p>The tables' prefix names the number of messages they hold, so data of two sizes never
 * shares tables. Tables that already hold exactly the shape's rows (counted) are used as they
 * are: loading a million rows again on every run would cost more time than the runs. Tables of
 * H2, in memory, last as long as the JVM, so each fork loads them again. Two runs must not load
 * the same prefix at the same time.
 */
final class BulkLoader {

    /** The agent type of every comment. */
    static final String AGENT_TYPE = "code";
    /** The text of every agent comment. */
    static final String COMMENT = "Reading file: src/index.ts";
    /** The text of the pending instruction. */
    static final String INSTRUCTION = "Also add a dark mode toggle to the settings page";

    /** Rows per batch insert, and per transaction. */
    private static final int BATCH = 1000;
    /** When the loaded workflows started; their messages follow one a second. */
    private static final Instant STARTED = Instant.parse("2025-01-06T09:00:00Z");

    /**
     * Threads of one shape: {@code workflows} threads (ids 1 to {@code workflows}), each of
     * {@code messagesPerWorkflow} messages, all agent comments but the one at
     * {@code instructionSeq}, a pending user instruction (0 for none).
     */
    record Shape(int workflows, int messagesPerWorkflow, int instructionSeq) {

        Shape {
            if (workflows < 1 || messagesPerWorkflow < 1 || instructionSeq < 0 || instructionSeq > messagesPerWorkflow) {
                throw new IllegalArgumentException("no such threads: " + workflows + " workflows of "
                        + messagesPerWorkflow + " messages, instruction at " + instructionSeq);
            }
        }

        long messages() {
            return (long) workflows * messagesPerWorkflow;
        }

        /** The open user messages of all the threads. */
        long openMessages() {
            return instructionSeq == 0 ? 0 : workflows;
        }

        /** The state's version: each user message sent moved it by one. */
        long version() {
            return instructionSeq == 0 ? 0 : 1;
        }
    }

    private BulkLoader() {
    }

    /**
     * A store holding {@code shape}'s threads: on a database, the tables of
     * {@code prefixStem + messages + "_"}, loaded unless they already hold the threads; in memory,
     * a new store written through the API.
     */
    static ThreadStore open(BenchDatabase database, String prefixStem, Shape shape, int poolSize) {
        if (!database.isJdbc()) {
            long began = System.nanoTime();
            ThreadStore store = InMemoryThreadStore.create();
            try (WorkflowMessages messages = WorkflowMessages.create(store)) {
                writeThroughLibrary(messages, shape);
            }
            System.out.printf(Locale.ROOT, "# Wrote %,d messages of %,d workflows through the API in %.1f s%n",
                    shape.messages(), shape.workflows(), (System.nanoTime() - began) / 1e9);
            return store;
        }
        String prefix = prefixStem + shape.messages() + "_";
        ensureLoaded(database, prefix, shape);
        return BenchDatabase.store(database.url(), prefix, poolSize);
    }

    /** Writes {@code shape}'s threads through the API, one call per message. */
    static void writeThroughLibrary(WorkflowMessages messages, Shape shape) {
        for (long workflowId = 1; workflowId <= shape.workflows(); workflowId++) {
            messages.start(workflowId);
            AgentNarrator narrator = messages.narrator(workflowId, AGENT_TYPE, null);
            for (int seq = 1; seq <= shape.messagesPerWorkflow(); seq++) {
                if (seq == shape.instructionSeq()) {
                    messages.send(workflowId, SendRequest.of(ActionType.INSTRUCTION, INSTRUCTION));
                } else {
                    narrator.say(COMMENT, null);
                }
            }
        }
    }

    /** Loads {@code shape}'s threads into the tables of {@code prefix}, unless they hold them already. */
    static void ensureLoaded(BenchDatabase database, String prefix, Shape shape) {
        String url = database == BenchDatabase.POSTGRESQL
                ? database.url() + (database.url().contains("?") ? "&" : "?") + "reWriteBatchedInserts=true"
                : database.url();
        String states = prefix + "workflow_thread_state";
        String messages = prefix + "workflow_messages";
        try (Connection connection = DriverManager.getConnection(url)) {
            if (holds(connection, states, messages, shape)) {
                System.out.printf(Locale.ROOT, "# Reusing %,d messages in %s on %s%n",
                        shape.messages(), prefix, database.parameter());
                return;
            }
            long began = System.nanoTime();
            BenchDatabase.dropTables(database.url(), prefix);
            BenchDatabase.store(database.url(), prefix, 1).close();
            connection.setAutoCommit(false);
            insertStates(connection, states, shape);
            insertMessages(connection, messages, shape);
            connection.setAutoCommit(true);
            try (Statement statement = connection.createStatement()) {
                for (String table : new String[] {states, messages}) {
                    statement.execute(database == BenchDatabase.POSTGRESQL
                            ? "VACUUM ANALYZE " + table
                            : "ANALYZE TABLE " + table);
                }
            }
            System.out.printf(Locale.ROOT, "# Loaded %,d messages of %,d workflows into %s on %s in %.1f s%n",
                    shape.messages(), shape.workflows(), prefix, database.parameter(),
                    (System.nanoTime() - began) / 1e9);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot load " + shape + " into the tables of " + prefix, e);
        }
    }

    /** Whether the tables exist and hold exactly the shape's rows. */
    private static boolean holds(Connection connection, String states, String messages, Shape shape) {
        try (Statement statement = connection.createStatement()) {
            try (ResultSet rs = statement.executeQuery("SELECT COUNT(*), SUM(last_seq), SUM(version) FROM " + states)) {
                rs.next();
                if (rs.getLong(1) != shape.workflows() || rs.getLong(2) != shape.messages()
                        || rs.getLong(3) != shape.workflows() * shape.version()) {
                    return false;
                }
            }
            try (ResultSet rs = statement.executeQuery("SELECT COUNT(*), COUNT(open_seq) FROM " + messages)) {
                rs.next();
                return rs.getLong(1) == shape.messages() && rs.getLong(2) == shape.openMessages();
            }
        } catch (SQLException e) {
            // No such tables yet.
            return false;
        }
    }

    private static void insertStates(Connection connection, String table, Shape shape) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + table
                + " (workflow_id, status, is_paused, last_seq, version, created_at)"
                + " VALUES (?, 'running', FALSE, ?, ?, ?)")) {
            for (long workflowId = 1; workflowId <= shape.workflows(); workflowId++) {
                insert.setLong(1, workflowId);
                insert.setLong(2, shape.messagesPerWorkflow());
                insert.setLong(3, shape.version());
                insert.setObject(4, utc(STARTED));
                addToBatch(connection, insert, workflowId, shape.workflows());
            }
        }
    }

    private static void insertMessages(Connection connection, String table, Shape shape) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + table
                + " (workflow_id, seq, message_type, agent_type, content, action_type, action_status,"
                + " created_at, open_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (long workflowId = 1; workflowId <= shape.workflows(); workflowId++) {
                for (int seq = 1; seq <= shape.messagesPerWorkflow(); seq++) {
                    boolean instruction = seq == shape.instructionSeq();
                    insert.setLong(1, workflowId);
                    insert.setLong(2, seq);
                    insert.setString(3, instruction ? "user" : "agent");
                    insert.setString(4, instruction ? null : AGENT_TYPE);
                    insert.setString(5, instruction ? INSTRUCTION : COMMENT);
                    insert.setString(6, instruction ? "instruction" : "comment");
                    insert.setString(7, instruction ? "pending" : "processed");
                    insert.setObject(8, utc(STARTED.plusSeconds(seq)));
                    if (instruction) {
                        insert.setLong(9, seq);
                    } else {
                        insert.setNull(9, Types.BIGINT);
                    }
                    addToBatch(connection, insert, (workflowId - 1) * shape.messagesPerWorkflow() + seq,
                            shape.messages());
                }
            }
        }
    }

    /** Adds row {@code row} of {@code rows} (from 1) to the batch; sends and commits each full batch and the last. */
    private static void addToBatch(Connection connection, PreparedStatement insert, long row, long rows)
            throws SQLException {
        insert.addBatch();
        if (row % BATCH == 0 || row == rows) {
            insert.executeBatch();
            connection.commit();
        }
    }

    /** The time as the library binds it: UTC, to the millisecond. */
    private static LocalDateTime utc(Instant instant) {
        return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
