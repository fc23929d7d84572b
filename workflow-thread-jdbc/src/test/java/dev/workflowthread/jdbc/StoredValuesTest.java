package dev.workflowthread.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.workflowthread.ActionStatus;
import dev.workflowthread.ActionType;
import dev.workflowthread.Checkpoint;
import dev.workflowthread.Message;
import dev.workflowthread.MessageOptions;
import dev.workflowthread.MessageType;
import dev.workflowthread.SendRequest;
import dev.workflowthread.WorkflowMessages;
import dev.workflowthread.WorkflowState;
import dev.workflowthread.WorkflowStatus;
import dev.workflowthread.WorkflowThreadConfig;
import dev.workflowthread.spi.Commit;
import dev.workflowthread.spi.NewMessage;
import dev.workflowthread.spi.StateUpdate;
import dev.workflowthread.tck.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import java.util.concurrent.atomic.AtomicLong;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What goes in comes out, on every database: any Unicode, long text, UTC times whatever the time
 * zones, and index lookups for the queries a checkpoint and a reader make.
 */
class StoredValuesTest {
    private static final String PREFIX = "wt_values_";
    private static final AtomicLong WORKFLOW_IDS = new AtomicLong(System.currentTimeMillis() * 1_000 + 500);

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeEverything() throws Exception {
        for (AutoCloseable closeable : toClose) {
            closeable.close();
        }
    }

    private JdbcThreadStore store(TestDatabase database) {
        database.assumeAvailable();
        JdbcThreadStore store = JdbcThreadStore.builder().dataSource(database.dataSource()).tablePrefix(PREFIX).build();
        toClose.add(0, store);
        return store;
    }

    /** A service over a store of its own, so what it reads comes from the database, not this JVM's memory. */
    private WorkflowMessages reader(TestDatabase database) {
        return service(store(database), WorkflowThreadConfig.defaults());
    }

    private WorkflowMessages service(JdbcThreadStore store, WorkflowThreadConfig config) {
        WorkflowMessages messages = WorkflowMessages.create(store, config);
        toClose.add(0, messages);
        return messages;
    }

    @ParameterizedTest(name = "on {0}")
    @EnumSource(TestDatabase.class)
    void fourByteEmojiAndAnyOtherUnicodeComeBackVerbatimInEveryField(TestDatabase database) {
        WorkflowMessages messages = service(store(database), WorkflowThreadConfig.defaults());
        long id = WORKFLOW_IDS.incrementAndGet();
        messages.start(id);
        String content = "Build verification: PASSED 🚀✅ — 漢字, Ünïcödé, 𝕏, family 👨‍👩‍👧 and flags 🇳🇿";
        Map<String, Object> metadata = Map.of("emoji 🎉", "value 😀", "nested", Map.of("files", List.of("🚀.ts", "ß.md")));
        messages.addMessage(id, MessageType.AGENT, content,
                MessageOptions.agent("code🤖", 7L).withMetadata(metadata).withAuthor("ann 👩‍💻"));

        // Read back through a store of its own, so nothing comes from this JVM's memory.
        Message stored = reader(database).getMessages(id).get(0);
        assertThat(stored.content()).isEqualTo(content);
        assertThat(stored.agentType()).isEqualTo("code🤖");
        assertThat(stored.author()).isEqualTo("ann 👩‍💻");
        assertThat(stored.metadata()).isEqualTo(metadata);
        assertThat(stored.agentExecutionId()).isEqualTo(7L);
    }

    @ParameterizedTest(name = "on {0}")
    @EnumSource(TestDatabase.class)
    void contentLongerThanSixtyFourKilobytesComesBackWhole(TestDatabase database) {
        // MySQL's TEXT stops at 65,535 bytes; the schema uses MEDIUMTEXT there.
        WorkflowMessages messages = service(store(database),
                WorkflowThreadConfig.builder().maxContentBytes(1024 * 1024).build());
        long id = WORKFLOW_IDS.incrementAndGet();
        messages.start(id);
        String content = "line of a long build log 🚀\n".repeat(20_000);
        assertThat(content.getBytes(java.nio.charset.StandardCharsets.UTF_8).length).isGreaterThan(500_000);

        messages.send(id, SendRequest.of(ActionType.COMMENT, content));

        assertThat(messages.getMessages(id).get(0).content()).isEqualTo(content);
    }

    @ParameterizedTest(name = "on {0}")
    @EnumSource(TestDatabase.class)
    void timesAreStoredAsUtcMillisecondsWhateverTheJvmAndSessionTimeZones(TestDatabase database) throws Exception {
        database.assumeAvailable();
        TimeZone jvmZone = TimeZone.getDefault();
        // New York skips 02:00-03:00 on this day: a time bound through the JVM's zone would move.
        TimeZone.setDefault(TimeZone.getTimeZone("America/New_York"));
        try (HikariDataSource pool = new HikariDataSource(sessionInZone(database, "+05:45"))) {
            JdbcThreadStore store = JdbcThreadStore.builder().dataSource(pool).tablePrefix(PREFIX).build();
            toClose.add(0, store);
            Instant at = Instant.parse("2026-03-08T02:30:00.123456Z");
            SettableClock clock = new SettableClock(at);
            WorkflowMessages messages = service(store, WorkflowThreadConfig.builder().clock(clock).build());
            long id = WORKFLOW_IDS.incrementAndGet();
            messages.start(id);
            messages.pause(id, "look at this");
            ExecutorService agent = Executors.newSingleThreadExecutor();
            try {
                Future<Checkpoint> check = agent.submit(messages.guard(id)::check); // pauses at `at`
                await().atMost(Duration.ofSeconds(20)).until(() -> messages.getState(id).paused());
                WorkflowState paused = reader(database).getState(id);
                assertThat(paused.pausedAt()).isEqualTo(Instant.parse("2026-03-08T02:30:00.123Z"));
                assertThat(paused.pauseRequestedAt()).isEqualTo(Instant.parse("2026-03-08T02:30:00.123Z"));
                messages.unpause(id);
                assertThat(check.get(20, TimeUnit.SECONDS).resumed()).isTrue();
            } finally {
                agent.shutdownNow();
            }

            Instant millis = Instant.parse("2026-03-08T02:30:00.123Z");
            WorkflowMessages elsewhere = reader(database);
            WorkflowState state = elsewhere.getState(id);
            assertThat(state.paused()).isFalse();
            assertThat(elsewhere.getMessages(id)).extracting(Message::createdAt).hasSize(4).containsOnly(millis);

            // And the column holds the UTC wall time itself, as another program would read it.
            List<String> raw = Jdbi.create(pool).withHandle(handle -> handle.createQuery(
                    "SELECT CAST(created_at AS CHAR(23)) FROM " + store.messageTable() + " WHERE workflow_id = :id")
                    .bind("id", id).mapTo(String.class).list());
            assertThat(raw).containsOnly("2026-03-08 02:30:00.123");
        } finally {
            TimeZone.setDefault(jvmZone);
        }
    }

    private static HikariConfig sessionInZone(TestDatabase database, String offset) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(database.url());
        config.setMaximumPoolSize(4);
        config.setConnectionInitSql(switch (database) {
            case POSTGRESQL -> "SET TIME ZONE INTERVAL '" + offset + "' HOUR TO MINUTE";
            case MARIADB -> "SET time_zone = '" + offset + "'";
            case H2 -> "SET TIME ZONE '" + offset + "'";
        });
        return config;
    }

    @ParameterizedTest(name = "on {0}")
    @EnumSource(TestDatabase.class)
    void theOpenMessagesOfAWorkflowAndAPageAfterASeqAreIndexLookups(TestDatabase database) {
        JdbcThreadStore store = store(database);
        long id = WORKFLOW_IDS.incrementAndGet();
        store.createIfAbsent(id, Instant.now());
        for (int batch = 0; batch < 20; batch++) {
            List<NewMessage> closed = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                closed.add(new NewMessage(null, MessageType.USER, null, "done " + i, null, ActionType.INSTRUCTION,
                        ActionStatus.PROCESSED, Instant.now(), null));
            }
            store.commit(new Commit(id, Commit.ANY_VERSION, null, List.of(), closed));
        }
        store.commit(Commit.append(id, new NewMessage(null, MessageType.USER, null, "open", null, ActionType.PAUSE,
                ActionStatus.PENDING, Instant.now(), null)));
        Jdbi jdbi = Jdbi.create(database.dataSource());
        jdbi.useHandle(handle -> handle.execute(switch (database) {
            case POSTGRESQL -> "ANALYZE " + store.messageTable();
            case MARIADB -> "ANALYZE TABLE " + store.messageTable();
            case H2 -> "ANALYZE TABLE " + store.messageTable();
        }));
        Statements sql = new Statements(Tables.withPrefix(PREFIX), store.dialect());

        String openPlan = plan(jdbi, sql.selectOpen, id);
        String pagePlan = plan(jdbi, sql.selectAfter, id);

        assertThat(openPlan).as("plan of the open-messages query").containsIgnoringCase("workflow_messages_open")
                .doesNotContainIgnoringCase("Seq Scan").doesNotContainIgnoringCase("tableScan");
        assertThat(pagePlan).as("plan of the page query").doesNotContainIgnoringCase("Seq Scan")
                .doesNotContainIgnoringCase("tableScan").doesNotContain("ALL");
        assertThat(store.findOpenUserMessages(id, 0, 10)).hasSize(1);
        if (database == TestDatabase.H2) {
            // H2 sorts every later row of the thread unless the ORDER BY is the index's own order
            assertThat(pagePlan).as("plan of the page query").contains("index sorted");
            assertThat(plan(jdbi, sql.selectNewest, id)).as("plan of the newest-page query").contains("index sorted");
            assertThat(openPlan).as("plan of the open-messages query").contains("index sorted");
        }
    }

    @ParameterizedTest(name = "on {0}")
    @EnumSource(TestDatabase.class)
    void aPurgeFindsTheOldestFinishedWorkflowsByIndex(TestDatabase database) {
        JdbcThreadStore store = store(database);
        Instant now = Instant.now();
        for (int i = 0; i < 2_000; i++) {
            long id = WORKFLOW_IDS.incrementAndGet();
            WorkflowState state = store.createIfAbsent(id, now);
            if (i % 100 == 0) {
                store.commit(Commit.transition(id, state.version(),
                        StateUpdate.of(state).finished(WorkflowStatus.COMPLETED, "done", null), List.of(),
                        List.of(new NewMessage(null, MessageType.SYSTEM, null, "Workflow completed", null,
                                ActionType.COMMENT, ActionStatus.PROCESSED, now, null))));
            }
        }
        Jdbi jdbi = Jdbi.create(database.dataSource());
        jdbi.useHandle(handle -> handle.execute(switch (database) {
            case POSTGRESQL -> "ANALYZE " + store.stateTable();
            case MARIADB, H2 -> "ANALYZE TABLE " + store.stateTable();
        }));
        Statements sql = new Statements(Tables.withPrefix(PREFIX), store.dialect());

        String candidatesPlan = jdbi.withHandle(handle -> handle.createQuery("EXPLAIN " + sql.selectPurgeCandidates)
                .bind("finishedBefore", Rows.timestamp(now.plusSeconds(1))).bind("limit", 500)
                .mapToMap().list().toString());

        assertThat(candidatesPlan).as("plan of the purge's candidates query")
                .containsIgnoringCase("workflow_thread_state_finished")
                .doesNotContainIgnoringCase("Seq Scan").doesNotContainIgnoringCase("tableScan");
    }

    private static String plan(Jdbi jdbi, String query, long workflowId) {
        return jdbi.withHandle(handle -> handle.createQuery("EXPLAIN " + query)
                .bind("workflowId", workflowId).bind("afterSeq", 10L).bind("limit", 100)
                .mapToMap().list().toString());
    }
}
