package dev.workflowthread.examples.server;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.workflowthread.examples.agents.Pace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A demo server on a free port of the loopback, on a private in-memory H2 database, and an HTTP
 * client for it that keeps its cookies: one person, as the server knows them by their
 * {@link Visitors} cookie. {@link #anotherPerson()} is someone else on the same server.
 */
final class TestServer implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    /** Fast enough for a test, slow enough that a workflow is still running when a test steers it. */
    static final Pace TEST_PACE = Pace.uniform(Duration.ofMillis(40));
    static final Duration WAIT = Duration.ofSeconds(30);

    final DemoServer server;
    private final HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
    /** Whether {@link #close()} stops the server: false for {@link #anotherPerson()}. */
    private final boolean ownsServer;

    private TestServer(DemoServer server, boolean ownsServer) {
        this.server = server;
        this.ownsServer = ownsServer;
    }

    /** Another person on the same server: a client with a cookie of its own. Closing it leaves the server running. */
    TestServer anotherPerson() {
        return new TestServer(server, false);
    }

    /** Who the server takes this client for ({@code GET /api/session}). */
    String visitor() {
        return get("/api/session").json().get("visitor").asText();
    }

    static TestServer start(Pace pace) {
        return start(DemoServer.Settings.inMemory().withPace(pace));
    }

    static TestServer start(DemoServer.Settings settings) {
        return new TestServer(DemoServer.start(settings.withHost("127.0.0.1").withPort(0)), true);
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    /** A response, its body parsed as JSON when it is JSON. */
    record Response(int status, String body, HttpResponse<String> raw) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }

        /** For assertion messages. */
        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    Response get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    Response post(String path, String body) {
        return send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    Response delete(String path) {
        return send(HttpRequest.newBuilder(uri(path)).DELETE());
    }

    /** Sends the request, as {@code application/json} when it has a body and names no Content-Type. */
    Response send(HttpRequest.Builder request) {
        HttpRequest built = request.timeout(WAIT).build();
        if (built.bodyPublisher().map(body -> body.contentLength() != 0).orElse(false)
                && built.headers().firstValue("Content-Type").isEmpty()) {
            built = HttpRequest.newBuilder(built, (name, value) -> true).header("Content-Type", "application/json").build();
        }
        try {
            HttpResponse<String> response = http.send(built, HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.body(), response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Starts a workflow through the API and returns its id. */
    long createWorkflow(String task) {
        Response created = post("/api/workflows", JSON.createObjectNode().put("task_description", task).toString());
        if (created.status() != 201) {
            throw new AssertionError("creating a workflow: " + created);
        }
        return created.json().get("workflow_id").asLong();
    }

    JsonNode workflow(long id) {
        return get("/api/workflows/" + id).json();
    }

    /** The whole thread, read page by page. */
    List<JsonNode> messages(long id) {
        List<JsonNode> all = new ArrayList<>();
        for (long after = 0; ; ) {
            JsonNode page = get("/api/workflows/" + id + "/messages?after=" + after + "&limit=1000").json().get("messages");
            page.forEach(all::add);
            if (page.size() < 1000) {
                return all;
            }
            after = page.get(page.size() - 1).get("seq").asLong();
        }
    }

    /** Waits until the workflow has the status. */
    void awaitStatus(long id, String status) {
        await().atMost(WAIT).until(() -> workflow(id).get("status").asText(), status::equals);
    }

    /** Waits until the thread holds a message whose content starts with {@code prefix}; returns it. */
    JsonNode awaitMessage(long id, String prefix) {
        return await().atMost(WAIT).until(() -> messages(id).stream()
                .filter(m -> m.get("content").asText().startsWith(prefix)).findFirst().orElse(null), m -> m != null);
    }

    @Override
    public void close() {
        if (ownsServer) {
            server.close();
        }
    }
}
