package dev.workflowthread.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.workflowthread.ActionType;
import dev.workflowthread.Message;
import dev.workflowthread.SendRequest;
import dev.workflowthread.WorkflowMessages;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A host that runs its migrations with Flyway can run the shipped scripts, then validate. */
class FlywayScriptsTest {
    private static final String PREFIX = "wt_flyway_";
    private static final String HISTORY = PREFIX + "schema_history";

    @ParameterizedTest(name = "on {0}")
    @EnumSource(TestDatabase.class)
    void flywayRunsTheScriptsOfEachDatabaseAndTheStoreValidatesThem(TestDatabase database) {
        database.assumeAvailable();
        database.dropTables(PREFIX);
        Jdbi.create(database.dataSource()).useHandle(handle -> handle.execute("DROP TABLE IF EXISTS " + HISTORY));
        JdbcDialect dialect = switch (database) {
            case H2 -> JdbcDialect.H2;
            case POSTGRESQL -> JdbcDialect.POSTGRESQL;
            case MARIADB -> JdbcDialect.MYSQL;
        };

        MigrateResult result = Flyway.configure()
                .dataSource(database.dataSource())
                .locations("classpath:" + dialect.schemaLocation())
                .placeholders(Map.of("table_prefix", PREFIX))
                .table(HISTORY)
                // the test database holds other tests' tables; a host's own schema would too
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .load()
                .migrate();

        assertThat(result.success).isTrue();
        assertThat(result.migrationsExecuted).isEqualTo(Schema.SCRIPTS.size());
        try (JdbcThreadStore store = JdbcThreadStore.builder().dataSource(database.dataSource()).tablePrefix(PREFIX)
                .schemaMode(SchemaMode.VALIDATE).build();
             WorkflowMessages messages = WorkflowMessages.create(store)) {
            long id = System.currentTimeMillis();
            messages.start(id);
            messages.send(id, SendRequest.of(ActionType.INSTRUCTION, "migrated by Flyway 🚀"));
            assertThat(messages.getMessages(id)).extracting(Message::content).containsExactly("migrated by Flyway 🚀");
        }
    }
}
