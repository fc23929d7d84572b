package dev.workflowthread.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.zaxxer.hikari.HikariDataSource;
import dev.workflowthread.StorageException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Building a store: its sources, its table prefix, and what it does about the schema. */
class JdbcThreadStoreBuilderTest {

    private static String h2(String name) {
        return "jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1";
    }

    @Test
    void needsExactlyOneOfDataSourceJdbiAndUrl() {
        assertThatThrownBy(() -> JdbcThreadStore.builder().build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("exactly one of dataSource, jdbi and url");
        assertThatThrownBy(() -> JdbcThreadStore.builder().url(h2("two")).jdbi(Jdbi.create(h2("two"))).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("2 were given");
    }

    @Test
    void aUrlMustBeAJdbcUrl() {
        assertThatThrownBy(() -> JdbcThreadStore.builder().url("postgresql://localhost/test"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("url").hasMessageContaining("jdbc:");
    }

    @ParameterizedTest
    @ValueSource(strings = {"wt-", "WT_", "1wt_", "wt_; DROP TABLE x; --", "wt prefix", "a_prefix_that_is_far_too_long_for_any_database_"})
    void aTablePrefixMustBeALowerCaseIdentifier(String prefix) {
        assertThatThrownBy(() -> JdbcThreadStore.builder().tablePrefix(prefix))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tablePrefix")
                .hasMessageContaining(prefix);
    }

    @Test
    void theChangePollIntervalIsFromTenMillisecondsToAMinute() {
        assertThatThrownBy(() -> JdbcThreadStore.builder().changePollInterval(Duration.ofMillis(9)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("changePollInterval");
        assertThatThrownBy(() -> JdbcThreadStore.builder().changePollInterval(Duration.ofSeconds(61)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("changePollInterval");
        assertThatThrownBy(() -> JdbcThreadStore.builder().changePollInterval(null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("changePollInterval");
        assertThatThrownBy(() -> JdbcThreadStore.builder().listenConnectionFactory(null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("listenConnectionFactory");
        JdbcThreadStore.builder().changePollInterval(Duration.ofMillis(10)).changePollInterval(Duration.ofMinutes(1));
    }

    @Test
    void onlyPostgresWithNotificationsOnHasANotificationChannel() {
        try (JdbcThreadStore store = JdbcThreadStore.builder().url(h2("channel")).build()) {
            assertThat(store.notificationChannel()).isEmpty();
            assertThat(store.notifiesAllChanges()).isTrue();
        }
        TestDatabase.POSTGRESQL.assumeAvailable();
        try (JdbcThreadStore store = JdbcThreadStore.builder().url(TestDatabase.POSTGRESQL.url())
                .tablePrefix("wt_builder_").build()) {
            assertThat(store.notificationChannel()).contains("wt_builder_workflow_thread_changes");
        }
        try (JdbcThreadStore store = JdbcThreadStore.builder().url(TestDatabase.POSTGRESQL.url())
                .tablePrefix("wt_builder_").notifications(false).build()) {
            assertThat(store.notificationChannel()).isEmpty();
        }
    }

    @Test
    void theTablePrefixNamesTheTables() {
        try (JdbcThreadStore store = JdbcThreadStore.builder().url(h2("prefixed")).tablePrefix("acme_wt_").build()) {
            assertThat(store.stateTable()).isEqualTo("acme_wt_workflow_thread_state");
            assertThat(store.messageTable()).isEqualTo("acme_wt_workflow_messages");
            store.createIfAbsent(1, Instant.now());
            long rows = Jdbi.create(h2("prefixed")).withHandle(handle -> handle
                    .createQuery("SELECT COUNT(*) FROM acme_wt_workflow_thread_state").mapTo(Long.class).one());
            assertThat(rows).isEqualTo(1);
        }
    }

    @Test
    void validateNamesTheMissingTableAndNoneTouchesNothing() {
        StorageException missing = catchThrowableOfType(StorageException.class, () -> JdbcThreadStore.builder()
                .url(h2("empty")).schemaMode(SchemaMode.VALIDATE).build());
        assertThat(missing).isNotNull();
        assertThat(missing.operation()).startsWith("validate schema: table workflow_thread_state")
                .contains("classpath:dev/workflowthread/jdbc/schema/h2");

        try (JdbcThreadStore store = JdbcThreadStore.builder().url(h2("empty")).schemaMode(SchemaMode.NONE).build()) {
            assertThatThrownBy(() -> store.findState(1)).isInstanceOf(StorageException.class)
                    .hasMessageContaining("read state of workflow 1");
        }
    }

    @Test
    void validateNamesAMissingColumn() {
        Jdbi.create(h2("partial")).useHandle(handle -> {
            handle.execute("CREATE TABLE workflow_thread_state (workflow_id BIGINT PRIMARY KEY, status VARCHAR(16))");
        });
        StorageException wrong = catchThrowableOfType(StorageException.class, () -> JdbcThreadStore.builder()
                .url(h2("partial")).build());
        assertThat(wrong).isNotNull();
        assertThat(wrong.getMessage()).contains("workflow_thread_state").containsIgnoringCase("is_paused");
    }

    @Test
    void aStoreMadeFromAUrlClosesItsPoolAndAGivenDataSourceIsLeftOpen() throws Exception {
        HikariDataSource hostPool = TestDatabase.H2.newPool(2);
        try (hostPool) {
            JdbcThreadStore store = JdbcThreadStore.builder().dataSource(hostPool).build();
            store.close();
            assertThat(hostPool.isClosed()).isFalse();
            assertThatThrownBy(() -> store.findState(1)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("closed");
        }
        JdbcThreadStore owning = JdbcThreadStore.builder().url(h2("owned")).build();
        owning.close();
        assertThatThrownBy(() -> owning.findState(1)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aHostPoolWithAutoCommitOffWorks() {
        com.zaxxer.hikari.HikariConfig config = new com.zaxxer.hikari.HikariConfig();
        config.setJdbcUrl(h2("no_auto_commit"));
        config.setAutoCommit(false);
        try (HikariDataSource hostPool = new HikariDataSource(config);
             JdbcThreadStore store = JdbcThreadStore.builder().dataSource(hostPool).build();
             dev.workflowthread.WorkflowMessages messages = dev.workflowthread.WorkflowMessages.create(store)) {
            messages.start(5);
            messages.send(5, dev.workflowthread.SendRequest.of(dev.workflowthread.ActionType.PAUSE, "hold on"));
            assertThat(messages.getMessages(5)).hasSize(1);
            assertThat(messages.getState(5).isPauseRequested()).isTrue();
        }
    }

    @Test
    void anUnreachableDatabaseFailsTheBuildClearly() {
        StorageException failure = catchThrowableOfType(StorageException.class, () -> JdbcThreadStore.builder()
                .url("jdbc:postgresql://127.0.0.1:1/nothing?connectTimeout=2").connectionTimeout(java.time.Duration.ofSeconds(1))
                .build());
        assertThat(failure).isNotNull();
        assertThat(failure.operation()).isEqualTo("open a connection pool for jdbc:postgresql://127.0.0.1:1/nothing");
    }

    @ParameterizedTest(name = "on {0}")
    @EnumSource(TestDatabase.class)
    void theDialectIsDetectedAndSeveralProcessesMayCreateTheSchemaAtOnce(TestDatabase database) throws Exception {
        database.assumeAvailable();
        String prefix = "wt_create_";
        database.dropTables(prefix);
        ExecutorService starting = Executors.newFixedThreadPool(4);
        try {
            List<Future<JdbcDialect>> builds = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                builds.add(starting.submit(() -> {
                    try (JdbcThreadStore store = JdbcThreadStore.builder().dataSource(database.dataSource())
                            .tablePrefix(prefix).build()) {
                        return store.dialect();
                    }
                }));
            }
            for (Future<JdbcDialect> build : builds) {
                assertThat(build.get(60, TimeUnit.SECONDS)).isEqualTo(switch (database) {
                    case H2 -> JdbcDialect.H2;
                    case POSTGRESQL -> JdbcDialect.POSTGRESQL;
                    case MARIADB -> JdbcDialect.MYSQL;
                });
            }
        } finally {
            starting.shutdownNow();
        }
        // Again, on tables that exist: nothing to do, nothing fails.
        JdbcThreadStore.builder().dataSource(database.dataSource()).tablePrefix(prefix).build().close();
    }

    @Test
    void anUnsupportedDatabaseIsNamed() {
        assertThatThrownBy(() -> JdbcDialect.fromProductName("Oracle"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Oracle");
        assertThat(JdbcDialect.fromProductName("MariaDB")).isEqualTo(JdbcDialect.MYSQL);
    }

    @Test
    void everyDatabaseShipsTheSameScriptsWithOnlyThePrefixPlaceholder() throws Exception {
        for (JdbcDialect dialect : JdbcDialect.values()) {
            for (String script : Schema.SCRIPTS) {
                String path = dialect.schemaLocation() + "/" + script;
                try (InputStream in = getClass().getClassLoader().getResourceAsStream(path)) {
                    assertThat(in).as(path).isNotNull();
                    String text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                    assertThat(text.replace(Schema.PREFIX_PLACEHOLDER, "")).as(path).doesNotContain("${");
                    assertThat(script).matches("V\\d+__[a-z_]+\\.sql");
                }
            }
        }
    }
}
