package dev.workflowthread.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.workflowthread.ActionType;
import dev.workflowthread.Checkpoint;
import dev.workflowthread.CheckpointGuard;
import dev.workflowthread.Message;
import dev.workflowthread.SendRequest;
import dev.workflowthread.ThreadEvent;
import dev.workflowthread.WorkflowMessages;
import dev.workflowthread.WorkflowThreadConfig;
import dev.workflowthread.spi.StoreChange;
import dev.workflowthread.spi.StoreChangeListener;
import java.io.PrintWriter;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.h2.tools.Server;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.NoTemplateEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * How a store hears of other processes' changes. Two store objects on one database stand for two
 * processes: each tells its listeners at once only about its own commits.
 */
class ChangeWatchingTest {
    private static final String PREFIX = "wt_watch_";

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void checkWithNothingPendingMakesNoDatabaseRoundTrip(TestDatabase database) throws Exception {
        database.assumeAvailable();
        database.dropTables(PREFIX);
        CountingDataSource counting = new CountingDataSource(database.dataSource());
        try (JdbcThreadStore store = JdbcThreadStore.builder().dataSource(counting).tablePrefix(PREFIX)
                .listenConnectionFactory(() -> DriverManager.getConnection(database.url())).build();
             WorkflowMessages messages = WorkflowMessages.create(store, WorkflowThreadConfig.builder()
                     .pausedCheckInterval(Duration.ofMillis(1)).build())) {
            messages.start(1);
            CheckpointGuard guard = messages.guard(1);
            assertThat(guard.check().isEmpty()).isTrue();
            long before = counting.takenBy(Thread.currentThread());
            for (int i = 0; i < 100_000; i++) {
                assertThat(guard.check()).isSameAs(Checkpoint.EMPTY);
            }
            // The library's own poll interval is 1 ms here: only the store's watching keeps the
            // checkpoint from reading, over 100,000 checks that surely take longer than that.
            assertThat(counting.takenBy(Thread.currentThread())).isEqualTo(before);

            try (JdbcThreadStore other = database.store(PREFIX);
                 WorkflowMessages elsewhere = WorkflowMessages.create(other)) {
                elsewhere.send(1, SendRequest.of(ActionType.INSTRUCTION, "use the blue theme"));
            }
            Checkpoint handed = await().atMost(Duration.ofSeconds(30)).until(guard::check, c -> !c.isEmpty());
            assertThat(handed.instructions()).extracting(Message::content).containsExactly("use the blue theme");
        }
    }

    @Test
    void afterAnH2ServerRestartTheFeedAndAPausedCheckpointCatchUp(@TempDir Path folder) throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String[] serverArgs = {"-tcpPort", String.valueOf(port), "-ifNotExists", "-baseDir", folder.toString()};
        Server server = Server.createTcpServer(serverArgs).start();
        String url = "jdbc:h2:tcp://localhost:" + port + "/restart;LOCK_TIMEOUT=20000";
        List<ThreadEvent> events = new CopyOnWriteArrayList<>();
        try (JdbcThreadStore here = JdbcThreadStore.builder().url(url).tablePrefix(PREFIX)
                .connectionTimeout(Duration.ofSeconds(1)).build();
             JdbcThreadStore there = JdbcThreadStore.builder().url(url).tablePrefix(PREFIX)
                     .connectionTimeout(Duration.ofSeconds(1)).build();
             WorkflowMessages follower = WorkflowMessages.create(here, WorkflowThreadConfig.builder()
                     .pausedCheckInterval(Duration.ofMinutes(10)).heartbeatInterval(Duration.ofMinutes(10)).build());
             WorkflowMessages writer = WorkflowMessages.create(there)) {
            writer.start(7);
            follower.subscribe(7, 0, events::add);
            CheckpointGuard guard = follower.guard(7);
            for (int i = 1; i <= 10; i++) {
                writer.narrator(7, "code", null).say("before the restart " + i);
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> newMessages(events).size() == 10);

            writer.pause(7, "hold on");
            CompletableFuture<Checkpoint> waiting = CompletableFuture.supplyAsync(() -> {
                try {
                    return guard.check();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            await().atMost(Duration.ofSeconds(30)).until(() -> writer.getState(7).paused());

            server.stop();
            server = Server.createTcpServer(serverArgs).start();

            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
                writer.getState(7);
                return true;
            });
            for (int i = 1; i <= 10; i++) {
                writer.narrator(7, "code", null).say("after the restart " + i);
            }
            writer.unpause(7);
            assertThat(waiting.get(60, TimeUnit.SECONDS).resumed()).isTrue();
            await().atMost(Duration.ofSeconds(30)).until(() -> newMessages(events).size() == 24);
            List<Message> received = newMessages(events);
            assertThat(received).extracting(Message::seq).containsExactlyElementsOf(
                    java.util.stream.LongStream.rangeClosed(1, 24).boxed().toList());
            assertThat(received).extracting(Message::content).contains("before the restart 10", "after the restart 1",
                    "after the restart 10");
        } finally {
            server.stop();
        }
    }

    @Test
    void onPostgresControlActionsAreNotifiedWithTheirCommitAndCommentsAreGathered() throws Exception {
        TestDatabase database = TestDatabase.POSTGRESQL;
        database.assumeAvailable();
        database.dropTables(PREFIX);
        try (JdbcThreadStore store = database.store(PREFIX);
             WorkflowMessages messages = WorkflowMessages.create(store);
             Connection listening = DriverManager.getConnection(database.url())) {
            String channel = store.notificationChannel().orElseThrow();
            try (Statement statement = listening.createStatement()) {
                statement.execute("LISTEN " + channel);
            }
            PGConnection pg = listening.unwrap(PGConnection.class);
            messages.start(3);

            long started = System.nanoTime();
            for (int i = 0; i < 1_000; i++) {
                messages.narrator(3, "code", null).say("comment " + i);
            }
            long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            List<String> payloads = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                collect(pg, payloads);
                return payloads.stream().anyMatch(p -> p.contains("|3,0,") && p.endsWith(",1000,0"));
            });
            // Each gathered notification waits PostgresNotifications.COALESCE_MILLIS before it goes:
            // however fast or slow the machine, there are at most that many of them, not one per comment.
            assertThat(payloads).hasSizeLessThanOrEqualTo(
                    (int) (elapsedMillis / PostgresNotifications.COALESCE_MILLIS) + 2);

            payloads.clear();
            messages.pause(3, "a control action");
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                collect(pg, payloads);
                return !payloads.isEmpty();
            });
            assertThat(payloads).hasSize(1);
            assertThat(payloads.get(0)).endsWith("|3,1,1000,1001,0");
        }
    }

    @Test
    void onPostgresAnAllWorkflowsSubscriptionHearsAnotherProcessFromTheFirstChangeOn() throws Exception {
        TestDatabase database = TestDatabase.POSTGRESQL;
        database.assumeAvailable();
        database.dropTables(PREFIX);
        List<ThreadEvent> events = new CopyOnWriteArrayList<>();
        try (JdbcThreadStore here = database.store(PREFIX); JdbcThreadStore there = database.store(PREFIX);
             WorkflowMessages follower = WorkflowMessages.create(here);
             WorkflowMessages writer = WorkflowMessages.create(there)) {
            writer.start(11);
            List<ThreadEvent> probe = new CopyOnWriteArrayList<>();
            follower.subscribeAll(probe::add);
            // The store hears other processes once its listening connection listens.
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                writer.narrator(11, "plan", null).say("are you there?");
                return !probe.isEmpty();
            });
            writer.narrator(11, "plan", null).say("said before the subscription");
            await().atMost(Duration.ofSeconds(30)).until(() -> newMessages(probe).stream()
                    .anyMatch(m -> m.content().equals("said before the subscription")));
            follower.subscribeAll(events::add);
            writer.narrator(11, "plan", null).say("last words");
            await().atMost(Duration.ofSeconds(30)).until(() -> newMessages(events).stream()
                    .anyMatch(m -> m.content().equals("last words")));
            // From the first change it heard of (which may be a late notification of an earlier
            // message), every message once, in order.
            List<Message> received = newMessages(events);
            assertThat(received.get(received.size() - 1).content()).isEqualTo("last words");
            assertThat(received).extracting(Message::seq).containsExactlyElementsOf(java.util.stream.LongStream
                    .rangeClosed(received.get(0).seq(), received.get(received.size() - 1).seq()).boxed().toList());
        }
    }

    @Test
    void onPostgresAStoreThatCannotListenReadsTheWatchedStatesThroughItsPoolInstead() throws Exception {
        TestDatabase database = TestDatabase.POSTGRESQL;
        database.assumeAvailable();
        database.dropTables(PREFIX);
        try (JdbcThreadStore deaf = JdbcThreadStore.builder().dataSource(database.dataSource()).tablePrefix(PREFIX)
                .listenConnectionFactory(() -> {
                    throw new SQLException("no connection outside the pool here");
                }).build();
             JdbcThreadStore other = database.store(PREFIX)) {
            assertACheckpointHereGetsAnInstructionSentThere(deaf, other, 21);
        }
    }

    /**
     * A checkpoint on {@code here}, which looks at the store itself only every ten minutes, gets an
     * instruction sent through {@code there}: only {@code here}'s watching can tell it in time.
     */
    private static void assertACheckpointHereGetsAnInstructionSentThere(JdbcThreadStore here, JdbcThreadStore there,
                                                                      long workflowId) throws Exception {
        try (WorkflowMessages messages = WorkflowMessages.create(here, WorkflowThreadConfig.builder()
                .pausedCheckInterval(Duration.ofMinutes(10)).build());
             WorkflowMessages elsewhere = WorkflowMessages.create(there)) {
            messages.start(workflowId);
            CheckpointGuard guard = messages.guard(workflowId);
            assertThat(guard.check().isEmpty()).isTrue();
            elsewhere.send(workflowId, SendRequest.of(ActionType.INSTRUCTION, "heard from another process"));
            Checkpoint handed = await().atMost(Duration.ofSeconds(30)).until(guard::check, c -> !c.isEmpty());
            assertThat(handed.instructions()).extracting(Message::content).containsExactly("heard from another process");
        }
    }

    @Test
    void aStoreOnAHostsJdbiWithoutATemplateEngineStillHearsOtherProcesses() throws Exception {
        TestDatabase database = TestDatabase.H2;
        database.dropTables(PREFIX);
        Jdbi plain = Jdbi.create(database.dataSource()).setTemplateEngine(new NoTemplateEngine());
        try (JdbcThreadStore here = JdbcThreadStore.builder().jdbi(plain).tablePrefix(PREFIX).build();
             JdbcThreadStore there = database.store(PREFIX)) {
            assertACheckpointHereGetsAnInstructionSentThere(here, there, 41);
        }
    }

    /**
     * Two processes whose pools resolve the tables through different search paths: one names the
     * tables' schema, the other a schema of its own first (empty, so it is the current schema) and
     * the tables' after it. They must hear each other's notifications, and the listening
     * connection, which the store makes from the pool's URL, must read the tables where the pool
     * finds them.
     */
    @Test
    void onPostgresStoresWithDifferentSearchPathsHearEachOtherWhereTheirTablesAre() throws Exception {
        TestDatabase database = TestDatabase.POSTGRESQL;
        database.assumeAvailable();
        try (Connection admin = DriverManager.getConnection(database.url()); Statement statement = admin.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS wt_scope_tables CASCADE");
            statement.execute("DROP SCHEMA IF EXISTS wt_scope_own CASCADE");
            statement.execute("CREATE SCHEMA wt_scope_tables");
            statement.execute("CREATE SCHEMA wt_scope_own");
        }
        HikariConfig namingTheSchema = new HikariConfig();
        namingTheSchema.setJdbcUrl(database.url());
        namingTheSchema.setSchema("wt_scope_tables");
        namingTheSchema.setMaximumPoolSize(4);
        HikariConfig searchingTwo = new HikariConfig();
        searchingTwo.setJdbcUrl(database.url());
        searchingTwo.setConnectionInitSql("SET search_path TO wt_scope_own, wt_scope_tables");
        searchingTwo.setMaximumPoolSize(4);
        List<StoreChange> heard = new CopyOnWriteArrayList<>();
        AtomicLong hearingLost = new AtomicLong();
        try (HikariDataSource writerPool = new HikariDataSource(namingTheSchema);
             HikariDataSource followerPool = new HikariDataSource(searchingTwo);
             JdbcThreadStore writerStore = JdbcThreadStore.builder().dataSource(writerPool).tablePrefix(PREFIX).build();
             // Its states are read every ten minutes: only notifications can tell it in time.
             JdbcThreadStore followerStore = JdbcThreadStore.builder().dataSource(followerPool).tablePrefix(PREFIX)
                     .schemaMode(SchemaMode.VALIDATE).reconcileInterval(Duration.ofMinutes(10)).build();
             WorkflowMessages writer = WorkflowMessages.create(writerStore)) {
            writer.start(51);
            followerStore.addChangeListener(new StoreChangeListener() {
                @Override
                public void onChange(StoreChange change) {
                    heard.add(change);
                }

                @Override
                public Set<Long> watchedWorkflows() {
                    return Set.of(51L);
                }

                @Override
                public void hearingLost() {
                    hearingLost.incrementAndGet();
                }
            });
            // The first reading of the watched state, once the listening connection listens.
            await().atMost(Duration.ofSeconds(30)).until(() -> !heard.isEmpty());
            writer.send(51, SendRequest.of(ActionType.INSTRUCTION, "heard by notification"));
            await().atMost(Duration.ofSeconds(30)).until(() -> heard.stream().anyMatch(change -> change.lastSeq() == 1));
            assertThat(hearingLost).as("times the follower's store could not read the states").hasValue(0);
        } finally {
            try (Connection admin = DriverManager.getConnection(database.url());
                 Statement statement = admin.createStatement()) {
                statement.execute("DROP SCHEMA IF EXISTS wt_scope_tables CASCADE");
                statement.execute("DROP SCHEMA IF EXISTS wt_scope_own CASCADE");
            }
        }
    }

    @Test
    void aCheckpointWhoseStoreWasClosedFailsInsteadOfAnsweringFromMemory() throws Exception {
        TestDatabase.H2.dropTables(PREFIX);
        JdbcThreadStore store = TestDatabase.H2.store(PREFIX);
        try (WorkflowMessages messages = WorkflowMessages.create(store)) {
            messages.start(31);
            CheckpointGuard guard = messages.guard(31);
            assertThat(guard.check().isEmpty()).isTrue();
            store.close();
            org.assertj.core.api.Assertions.assertThatThrownBy(guard::check)
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        }
    }

    @Test
    void onPostgresAListeningConnectionFromAPoolGoesBackToItNotListening() throws Exception {
        TestDatabase database = TestDatabase.POSTGRESQL;
        database.assumeAvailable();
        database.dropTables(PREFIX);
        try (HikariDataSource onlyOne = database.newPool(1)) {
            JdbcThreadStore store = JdbcThreadStore.builder().dataSource(database.dataSource()).tablePrefix(PREFIX)
                    .listenConnectionFactory(onlyOne::getConnection).build();
            try (WorkflowMessages messages = WorkflowMessages.create(store)) {
                await().atMost(Duration.ofSeconds(30)).until(() -> onlyOne.getHikariPoolMXBean().getActiveConnections() == 1);
                store.close();
            }
            try (Connection connection = onlyOne.getConnection(); Statement statement = connection.createStatement();
                 java.sql.ResultSet rs = statement.executeQuery("SELECT COUNT(*) FROM pg_listening_channels()")) {
                rs.next();
                assertThat(rs.getLong(1)).isZero();
            }
        }
    }

    private static void collect(PGConnection pg, List<String> payloads) throws SQLException {
        PGNotification[] notifications = pg.getNotifications(100);
        if (notifications != null) {
            for (PGNotification notification : notifications) {
                payloads.add(notification.getParameter());
            }
        }
    }

    private static List<Message> newMessages(List<ThreadEvent> events) {
        return events.stream().filter(ThreadEvent.MessageAdded.class::isInstance)
                .map(event -> ((ThreadEvent.MessageAdded) event).message()).toList();
    }

    /** Counts the connections each thread takes. */
    private static final class CountingDataSource implements DataSource {
        private final HikariDataSource delegate;
        private final java.util.Map<Thread, AtomicLong> taken = new java.util.concurrent.ConcurrentHashMap<>();

        CountingDataSource(HikariDataSource delegate) {
            this.delegate = delegate;
        }

        long takenBy(Thread thread) {
            return taken.getOrDefault(thread, new AtomicLong()).get();
        }

        @Override
        public Connection getConnection() throws SQLException {
            taken.computeIfAbsent(Thread.currentThread(), t -> new AtomicLong()).incrementAndGet();
            return delegate.getConnection();
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            taken.computeIfAbsent(Thread.currentThread(), t -> new AtomicLong()).incrementAndGet();
            return delegate.getConnection(username, password);
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {
        }

        @Override
        public void setLoginTimeout(int seconds) {
        }

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            throw new SQLFeatureNotSupportedException();
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException {
            throw new SQLException("not a wrapper");
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) {
            return false;
        }
    }
}
