package dev.workflowthread.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.workflowthread.ActionStatus;
import dev.workflowthread.ActionType;
import dev.workflowthread.CheckpointGuard;
import dev.workflowthread.MessageType;
import dev.workflowthread.WorkflowMessages;
import dev.workflowthread.WorkflowThreadObserver;
import dev.workflowthread.spi.Commit;
import dev.workflowthread.spi.NewMessage;
import dev.workflowthread.spi.StoreChange;
import dev.workflowthread.spi.StoreChangeListener;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.StatementContext;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The polling rounds of a store on a database without notifications: what they cost with many
 * workflows watched, and that they hear every change, also one committed out of id order. A store
 * object stands for the other process; the rounds run here one by one.
 */
class ChangePollingTest {
    private static final String PREFIX = "wt_poll_";
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration RECONCILE = Duration.ofMillis(400);

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void aRoundRunsAsManyStatementsWithTwoThousandWorkflowsWatchedAsWithTen(TestDatabase database) {
        try (Fixture fixture = new Fixture(database, 2_000)) {
            long few = fixture.statementsPerIdleRound(10);
            long many = fixture.statementsPerIdleRound(2_000);
            // One query of the newest messages, and in some rounds one slice of 500 states (in
            // every round with 2,000 watched and 4 rounds a cycle): reading every watched state
            // each round would take four queries for 2,000.
            assertThat(few).isEqualTo(2);
            assertThat(many).isEqualTo(few);
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void aChangeIsToldByTheNextRoundAndOnlyThatWorkflowsStateIsRead(TestDatabase database) {
        try (Fixture fixture = new Fixture(database, 2_000)) {
            ChangePolling polling = fixture.pollingAfterItsFirstRound(2_000, Duration.ofSeconds(1));

            fixture.append(1_234);
            long before = fixture.statements.get();
            polling.round();
            assertThat(fixture.told).extracting(StoreChange::workflowId).containsExactly(1_234L);
            // The newest messages, the one state, one slice of the backstop.
            assertThat(fixture.statements.get() - before).isEqualTo(3);
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void aTransactionThatInsertedEarlyAndCommitsLateIsHeardByTheRoundAfterItsCommit(TestDatabase database)
            throws Exception {
        try (Fixture fixture = new Fixture(database, 4)) {
            ChangePolling polling = fixture.pollingAfterItsFirstRound(4, Duration.ofSeconds(30));
            try (Connection late = database.dataSource().getConnection()) {
                late.setAutoCommit(false);
                fixture.insertUncommitted(late, 1); // takes its id now
                fixture.append(2);                 // a higher id, committed first
                polling.round();
                assertThat(fixture.told).extracting(StoreChange::workflowId).containsExactly(2L);
                late.commit();
            }
            fixture.told.clear();
            polling.round();
            assertThat(fixture.told).extracting(StoreChange::workflowId).containsExactly(1L);
            assertThat(fixture.told.get(0).lastSeq()).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void whatTheNewestMessagesCannotShowTheBackstopSlicesTellWithinTwoCycles(TestDatabase database)
            throws Exception {
        try (Fixture fixture = new Fixture(database, 4)) {
            // No look-back at all: a late commit below the highest id seen is not read by the first query.
            ChangePolling polling = fixture.pollingAfterItsFirstRound(4, Duration.ZERO);
            try (Connection late = database.dataSource().getConnection()) {
                late.setAutoCommit(false);
                fixture.insertUncommitted(late, 4);
                fixture.append(1);
                polling.round();
                late.commit();
            }
            int rounds = 0;
            while (fixture.told.stream().noneMatch(change -> change.workflowId() == 4) && rounds < 100) {
                polling.round();
                rounds++;
            }
            int cycle = (int) (RECONCILE.toMillis() / POLL.toMillis());
            assertThat(rounds).isBetween(1, 2 * cycle);
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void aWorkflowNoLongerWatchedCostsNothingFromTheNextRoundOn(TestDatabase database) {
        try (Fixture fixture = new Fixture(database, 1_000)) {
            fixture.watch(1_000);
            ChangePolling polling = fixture.polling(Duration.ofSeconds(1));
            polling.round();
            fixture.watched.clear(); // every guard closed
            long before = fixture.statements.get();
            polling.round();
            polling.round();
            assertThat(fixture.statements.get()).isEqualTo(before);

            fixture.watch(3); // watched again: read as it is now, then by the newest messages
            fixture.told.clear();
            polling.round();
            assertThat(fixture.told).extracting(StoreChange::workflowId).containsExactlyInAnyOrder(1L, 2L, 3L);
            fixture.told.clear();
            fixture.append(3);
            polling.round();
            assertThat(fixture.told).extracting(StoreChange::workflowId).containsExactly(3L);
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void aStoreWhoseGuardsAreAllClosedPollsNoMore(TestDatabase database) {
        try (Fixture fixture = new Fixture(database, 1_000);
             JdbcThreadStore here = JdbcThreadStore.builder().jdbi(fixture.counted).tablePrefix(PREFIX)
                     .notifications(false).changePollInterval(Duration.ofMillis(20)).build();
             WorkflowMessages messages = WorkflowMessages.create(here)) {
            List<CheckpointGuard> guards = LongStream.rangeClosed(1, 1_000).mapToObj(messages::guard).toList();
            long started = fixture.statements.get();
            await().atMost(Duration.ofSeconds(30)).until(() -> fixture.statements.get() > started + 20);
            guards.forEach(CheckpointGuard::close);
            long[] last = {fixture.statements.get()};
            // Not one statement for ten poll intervals in a row, once the round in progress ended.
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
                long now = fixture.statements.get();
                boolean still = now == last[0];
                last[0] = now;
                return still;
            });
        }
    }

    /** Tables with {@code workflows} workflows, a store for the other process, and a watcher here. */
    private static final class Fixture implements AutoCloseable {
        final TestDatabase database;
        final JdbcThreadStore other;
        final AtomicLong statements = new AtomicLong();
        final Set<Long> watched = ConcurrentHashMap.newKeySet();
        final List<StoreChange> told = new CopyOnWriteArrayList<>();
        final ChangeWatcher watcher;
        /** On the test's pool; counts every statement it runs. */
        final Jdbi counted;

        Fixture(TestDatabase database, int workflows) {
            database.assumeAvailable();
            this.database = database;
            database.dropTables(PREFIX);
            other = database.store(PREFIX);
            Jdbi.create(database.dataSource()).useHandle(handle -> {
                var batch = handle.prepareBatch("INSERT INTO " + other.stateTable()
                        + " (workflow_id, status, is_paused, last_seq, version, created_at)"
                        + " VALUES (?, 'running', FALSE, 0, 0, ?)");
                Timestamp now = Timestamp.from(Instant.now());
                for (long id = 1; id <= workflows; id++) {
                    batch.bind(0, id).bind(1, now).add();
                }
                batch.execute();
            });
            counted = Jdbi.create(database.dataSource());
            counted.setSqlLogger(new SqlLogger() {
                @Override
                public void logAfterExecution(StatementContext context) {
                    statements.incrementAndGet();
                }
            });
            Statements sql = new Statements(Tables.withPrefix(PREFIX), other.dialect());
            watcher = new ChangeWatcher(new Transactions(counted, null, WorkflowThreadObserver.none()), sql);
            watcher.add(new StoreChangeListener() {
                @Override
                public void onChange(StoreChange change) {
                    told.add(change);
                }

                @Override
                public Set<Long> watchedWorkflows() {
                    return Set.copyOf(watched);
                }
            });
        }

        void watch(int count) {
            LongStream.rangeClosed(1, count).forEach(watched::add);
        }

        /** Polling with {@code count} workflows watched, its first round run and what it told forgotten. */
        ChangePolling pollingAfterItsFirstRound(int count, Duration lookback) {
            watch(count);
            ChangePolling polling = polling(lookback);
            polling.round();
            told.clear();
            return polling;
        }

        ChangePolling polling(Duration lookback) {
            return new ChangePolling(watcher, POLL, RECONCILE, lookback);
        }

        /** The statements of an idle round with {@code count} workflows watched, after the first. */
        long statementsPerIdleRound(int count) {
            watched.clear();
            watch(count);
            ChangePolling polling = polling(Duration.ofSeconds(1));
            polling.round();
            long most = 0;
            for (int i = 0; i < 4; i++) {
                long before = statements.get();
                polling.round();
                most = Math.max(most, statements.get() - before);
            }
            return most;
        }

        /** A message appended by the other process. */
        void append(long workflowId) {
            other.commit(Commit.append(workflowId, new NewMessage(null, MessageType.AGENT, "agent",
                    "working on " + workflowId, null, ActionType.COMMENT, ActionStatus.PROCESSED, Instant.now(),
                    null)));
        }

        /**
         * What a commit of the first message of a workflow writes, on {@code connection}, left
         * uncommitted: the message's id is given now.
         */
        void insertUncommitted(Connection connection, long workflowId) throws Exception {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + other.messageTable()
                    + " (workflow_id, seq, message_type, content, action_type, action_status, created_at)"
                    + " VALUES (?, 1, 'agent', 'late', 'comment', 'processed', ?)");
                 PreparedStatement update = connection.prepareStatement("UPDATE " + other.stateTable()
                         + " SET last_seq = 1 WHERE workflow_id = ?")) {
                insert.setLong(1, workflowId);
                insert.setTimestamp(2, Timestamp.from(Instant.now()));
                insert.executeUpdate();
                update.setLong(1, workflowId);
                update.executeUpdate();
            }
        }

        @Override
        public void close() {
            other.close();
        }
    }
}
