package dev.workflowthread.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import org.h2.tools.Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The sample on H2, reached through an H2 server this test starts: the flow, health and meters,
 * and then the health DOWN once the server is stopped.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "sample.agent-step=150ms",
        "spring.datasource.hikari.connection-timeout=500"})
@DirtiesContext
class SampleOnH2Test extends SampleFlow {
    private static Server server;
    private static Path folder;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) throws IOException, SQLException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        folder = Files.createTempDirectory("sample-h2-");
        server = Server.createTcpServer("-tcpPort", String.valueOf(port), "-ifNotExists", "-baseDir", folder.toString())
                .start();
        registry.add("spring.datasource.url", () -> "jdbc:h2:tcp://localhost:" + port + "/sample");
    }

    @AfterAll
    static void stopServer() {
        server.stop();
        try (var files = Files.walk(folder)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void aPersonSteersAWorkflowOverHttpAndFollowsItOverAWebSocketAndTheHealthFollowsTheDatabase() throws Exception {
        startFollowPauseInstructResumeCancel();
        assertHealthUp();
        assertMetersOfOneFlow();

        server.stop();
        await("health DOWN with the database stopped").atMost(WAIT).untilAsserted(() -> {
            HttpResponse<String> health = call("GET", "/actuator/health", null);
            assertThat(health.statusCode()).isEqualTo(503);
            assertThat(json(health.body()).path("components").path("workflowThread").path("status").asText())
                    .isEqualTo("DOWN");
        });
    }
}
