package dev.workflowthread.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.workflowthread.spi.StoreChange;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The payloads of PostgreSQL notifications, without a database. */
class PostgresNotificationsTest {
    private static final Tables TABLES = Tables.withPrefix("wt_");

    private static PostgresNotifications store(String schema) {
        return new PostgresNotifications(null, TABLES, schema, Duration.ofMillis(100), Duration.ofSeconds(2));
    }

    @Test
    void aStoreOnTheSameTablesReadsWhatAnotherSendsButNotItsOwnNorAnotherSchemasNews() {
        PostgresNotifications sender = store("public");
        List<StoreChange> changes = List.of(new StoreChange(7, 3, 10, 12, false), new StoreChange(8, 1, 0, 1, true));
        List<String> payloads = sender.payloads(changes);
        assertThat(payloads).hasSize(1);

        assertThat(store("public").parse(payloads.get(0))).containsExactlyElementsOf(changes);
        assertThat(sender.parse(payloads.get(0))).as("its own").isEmpty();
        assertThat(store("tenant_b").parse(payloads.get(0))).as("tables of another schema").isEmpty();
        assertThat(store("public").parse("something|else|entirely")).isEmpty();
    }

    @Test
    void manyChangesAreCutIntoPayloadsPostgresTakes() {
        PostgresNotifications sender = store("public");
        List<StoreChange> changes = new ArrayList<>();
        for (long id = 1; id <= 2_000; id++) {
            changes.add(new StoreChange(id * 1_000_000_007L, 123_456, 1_000_000, 1_000_100, false));
        }
        List<String> payloads = sender.payloads(changes);
        assertThat(payloads).hasSizeGreaterThan(1);
        PostgresNotifications receiver = store("public");
        List<StoreChange> received = new ArrayList<>();
        for (String payload : payloads) {
            assertThat(payload.getBytes(StandardCharsets.UTF_8).length).isLessThan(8_000);
            received.addAll(receiver.parse(payload));
        }
        assertThat(received).containsExactlyElementsOf(changes);
    }
}
