package dev.workflowthread.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The sample on PostgreSQL ({@code WORKFLOW_THREAD_TEST_POSTGRES_URL}), with LISTEN/NOTIFY: the
 * flow, health and meters. Skipped, saying why, when no PostgreSQL is reachable there; failed
 * instead when {@code WORKFLOW_THREAD_TEST_REQUIRE} names {@code postgresql}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "sample.agent-step=150ms",
        "workflow-thread.jdbc.table-prefix=wt_sample_"})
class SampleOnPostgresTest extends SampleFlow {
    private static final String URL = System.getenv("WORKFLOW_THREAD_TEST_POSTGRES_URL");

    @BeforeAll
    static void requirePostgres() {
        String required = System.getenv().getOrDefault("WORKFLOW_THREAD_TEST_REQUIRE", "");
        String why = null;
        if (URL == null || URL.isBlank()) {
            why = "WORKFLOW_THREAD_TEST_POSTGRES_URL is not set";
        } else {
            DriverManager.setLoginTimeout(5);
            try (Connection ignored = DriverManager.getConnection(URL)) {
                return;
            } catch (SQLException e) {
                why = "PostgreSQL at WORKFLOW_THREAD_TEST_POSTGRES_URL is not reachable: " + e.getMessage();
            }
        }
        if (required.contains("postgresql")) {
            throw new AssertionError("WORKFLOW_THREAD_TEST_REQUIRE names postgresql, but " + why);
        }
        System.out.println("SampleOnPostgresTest skipped: " + why);
        Assumptions.abort(why);
    }

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> URL);
    }

    @Test
    void aPersonSteersAWorkflowOverHttpAndFollowsItOverAWebSocket() throws Exception {
        startFollowPauseInstructResumeCancel();
        assertHealthUp();
        assertMetersOfOneFlow();
        assertThat(call("GET", "/actuator/health", null).body()).contains("\"dialect\":\"postgresql\"")
                .contains("notificationChannel");
    }
}
