package dev.workflowthread.examples.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import dev.workflowthread.ActionType;
import dev.workflowthread.SendRequest;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.LoggerFactory;

/** The WebSocket: rooms per workflow, catch-up from a last seq, the state events, and refusals. */
class ThreadSocketTest {
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(TestServer.TEST_PACE);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void refusesAConnectionFromAPageOfAnotherSite() throws Exception {
        URI socket = URI.create("ws://127.0.0.1:" + server.server.port() + "/ws");
        CompletableFuture<WebSocket> foreign = HttpClient.newHttpClient().newWebSocketBuilder()
                .header("Origin", "http://evil.example").buildAsync(socket, new WebSocket.Listener() { });
        assertThatThrownBy(() -> foreign.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(WebSocketHandshakeException.class)
                .satisfies(e -> assertThat(((WebSocketHandshakeException) e.getCause()).getResponse().statusCode())
                        .isEqualTo(403));

        WebSocket own = HttpClient.newHttpClient().newWebSocketBuilder()
                .header("Origin", "http://127.0.0.1:" + server.server.port())
                .buildAsync(socket, new WebSocket.Listener() { }).get(10, TimeUnit.SECONDS);
        own.abort();
    }

    /** DNS rebinding: an upgrade whose Origin matches its Host, but a Host the server was not started for. */
    @Test
    void refusesAnUpgradeAddressedToAnotherHost() {
        int port = server.server.port();
        for (String host : List.of("rebind.example:" + port, "rebind.example")) {
            RawHttp.Response refused = RawHttp.send(port, RawHttp.upgrade(host, "http://" + host));

            assertThat(refused.status()).as("%s", refused).isEqualTo(421);
            assertThat(refused.headers().get("content-type")).startsWith("application/json");
            JsonNode error = refused.asTestResponse().json();
            assertThat(error.get("status").asInt()).isEqualTo(421);
            assertThat(error.get("field").asText()).isEqualTo("Host");
        }
        RawHttp.Response foreignOrigin = RawHttp.send(port, RawHttp.upgrade("127.0.0.1:" + port, "http://evil.example"));
        assertThat(foreignOrigin.status()).isEqualTo(403);
        assertThat(foreignOrigin.asTestResponse().json().get("field").asText()).isEqualTo("Origin");

        RawHttp.Response own = RawHttp.send(port, RawHttp.upgrade("localhost:" + port, "http://localhost:" + port));
        assertThat(own.status()).as("%s", own).isEqualTo(101);
    }

    /**
     * A client that stops reading while its workflow's thread is replayed falls behind until the
     * server drops it; the demo logs only warnings, so that is one.
     */
    @Test
    void aClientThatFallsTooFarBehindIsDisconnectedWithAWarning() throws Exception {
        long id = server.createWorkflow("A long thread for a slow reader");
        assertThat(server.delete("/api/workflows/" + id).status()).isEqualTo(202);
        server.awaitStatus(id, "cancelled");
        // More than the outbox holds (8 Mi characters) and what the sockets buffer between (a few MiB).
        String text = "x".repeat(60_000);
        for (int i = 0; i < 300; i++) {
            server.server.messages().send(id, new SendRequest(i + " " + text, ActionType.COMMENT, null, "reviewer"));
        }
        Logger outboxLog = (Logger) LoggerFactory.getLogger("dev.workflowthread.web.Outbox");
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        outboxLog.addAppender(logged);
        try (Socket slow = new Socket()) {
            slow.setReceiveBufferSize(4096);
            slow.connect(new InetSocketAddress("127.0.0.1", server.server.port()));
            OutputStream out = slow.getOutputStream();
            out.write((RawHttp.upgrade("127.0.0.1:" + server.server.port(), null) + "\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            // A masked text frame (with the mask 0, which leaves the payload as it is); then it reads nothing.
            byte[] subscribe = ("{\"type\":\"subscribe:workflow\",\"workflowId\":" + id + ",\"lastSeq\":0}")
                    .getBytes(StandardCharsets.UTF_8);
            out.write(new byte[] {(byte) 0x81, (byte) (0x80 | subscribe.length), 0, 0, 0, 0});
            out.write(subscribe);
            out.flush();

            await().atMost(TestServer.WAIT).until(() -> logged(logged).stream().anyMatch(event ->
                    event.getLevel() == Level.WARN && event.getFormattedMessage().contains("behind")));
        } finally {
            outboxLog.detachAppender(logged);
        }
        assertThat(outboxLog.getEffectiveLevel()).as("what the demo's logback.xml lets through").isEqualTo(Level.WARN);
    }

    @Test
    void aSubscriberOfOneWorkflowGetsAllOfItAndNothingOfAnother() {
        long a = server.createWorkflow("Add a settings page");
        long b = server.createWorkflow("Add a reports page");
        try (SocketClient followsA = new SocketClient(server); SocketClient followsB = new SocketClient(server)) {
            followsA.subscribe(a, 0);
            followsB.subscribe(b, 0);

            followsA.next("workflow:completed");
            followsB.next("workflow:completed");

            assertOnlyAndAllOf(followsA.received(), a);
            assertOnlyAndAllOf(followsB.received(), b);
        }
    }

    @Test
    void aClientThatReconnectsWithItsLastSeqGetsExactlyWhatItMissedOnce() {
        long id = server.createWorkflow("Add a settings page");
        long lastSeen;
        try (SocketClient first = new SocketClient(server)) {
            first.subscribe(id, 0);
            lastSeen = first.next(text -> text.path("event").asText().equals("message:new")
                    && text.get("seq").asLong() >= 5, TestServer.WAIT).get("seq").asLong();
        }
        server.awaitStatus(id, "completed"); // everything after lastSeen happened while it was away
        long lastSeq = server.workflow(id).get("last_seq").asLong();

        try (SocketClient again = new SocketClient(server)) {
            again.subscribe(id, lastSeen);
            again.next(text -> text.path("event").asText().equals("message:new") && text.get("seq").asLong() == lastSeq,
                    TestServer.WAIT);
            // Nothing more comes: no duplicate of what it had, none of what it got now.
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
                    .until(() -> again.received().stream().filter(ThreadSocketTest::isMessage).count() == lastSeq - lastSeen);

            List<JsonNode> received = again.received();
            assertThat(received.get(0).get("event").asText()).isEqualTo("subscribed");
            assertThat(received.get(0).get("lastSeq").asLong()).isEqualTo(lastSeen);
            // The state as it is now, but with the seq the replay starts after, so that a client
            // that keeps every event's seq as its cursor skips nothing.
            assertThat(received.get(1).get("event").asText()).isEqualTo("workflow:updated");
            assertThat(received.get(1).get("seq").asLong()).isEqualTo(lastSeen);
            assertThat(received.get(1).get("workflow").get("last_seq").asLong()).isEqualTo(lastSeq);
            assertThat(received.stream().filter(ThreadSocketTest::isMessage).map(m -> m.get("seq").asLong()))
                    .containsExactlyElementsOf(LongStream.rangeClosed(lastSeen + 1, lastSeq).boxed().toList());
            assertThat(received.stream().filter(ThreadSocketTest::isMessage).map(m -> m.get("message").get("content").asText()))
                    .containsExactlyElementsOf(server.messages(id).stream().skip(lastSeen)
                            .map(m -> m.get("content").asText()).toList());
            assertThat(received).filteredOn(text -> text.get("event").asText().equals("workflow:completed")).hasSize(1);
        }
    }

    @Test
    void pushesPausedUnpausedAndTheUpdatedStateInOrder() {
        long id = server.createWorkflow("Add a settings page");
        try (SocketClient client = new SocketClient(server)) {
            client.subscribe(id, 0);
            assertThat(client.next("subscribed").get("workflowId").asLong()).isEqualTo(id);
            assertThat(client.next("workflow:updated").get("workflow").get("task_description").asText())
                    .isEqualTo("Add a settings page");
            client.next("message:new");

            server.post("/api/workflows/" + id + "/pause", "");
            JsonNode paused = client.next("workflow:paused");
            assertThat(paused.get("author").asText()).as("who the server knows the client as").isEqualTo(server.visitor());
            JsonNode pausedState = client.next("workflow:updated");
            assertThat(pausedState.get("seq").asLong()).isEqualTo(paused.get("seq").asLong());
            assertThat(pausedState.get("workflow").get("is_paused").asBoolean()).isTrue();
            assertThat(pausedState.get("workflow").get("status").asText()).isEqualTo("paused");

            server.post("/api/workflows/" + id + "/unpause", "");
            client.next("workflow:unpaused");
            JsonNode running = client.next("workflow:updated");
            assertThat(running.get("workflow").get("is_paused").asBoolean()).isFalse();

            server.delete("/api/workflows/" + id);
            client.next("workflow:cancelled");
            assertThat(client.next("workflow:updated").get("workflow").get("status").asText()).isEqualTo("cancelled");

            List<JsonNode> received = client.received();
            assertThat(received).allSatisfy(text -> assertThat(text.get("workflowId").asLong()).isEqualTo(id));
            assertThat(received.stream().filter(ThreadSocketTest::isMessage).map(m -> m.get("seq").asLong()).toList())
                    .isSorted().doesNotHaveDuplicates();
        }
    }

    @Test
    void oneConnectionFollowsTwoWorkflowsUntilItUnsubscribes() {
        long a = server.createWorkflow("Add a settings page");
        long b = server.createWorkflow("Add a reports page");
        try (SocketClient client = new SocketClient(server)) {
            client.subscribe(a, 0);
            client.subscribe(b, 0);
            client.next(text -> isMessage(text) && text.get("workflowId").asLong() == a, TestServer.WAIT);
            client.next(text -> isMessage(text) && text.get("workflowId").asLong() == b, TestServer.WAIT);

            client.send("{\"type\":\"unsubscribe:workflow\",\"workflowId\":" + a + "}");
            client.next(text -> text.path("event").asText().equals("unsubscribed"), TestServer.WAIT);
            int afterUnsubscribe = client.received().size();
            client.next(text -> text.path("event").asText().equals("workflow:completed")
                    && text.get("workflowId").asLong() == b, TestServer.WAIT);

            assertThat(client.received().subList(afterUnsubscribe, client.received().size()))
                    .allSatisfy(text -> assertThat(text.get("workflowId").asLong()).isEqualTo(b));
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "not JSON                  | {\"type\":                                            | 400 | body",
            "no type                   | {\"workflowId\":1}                                    | 400 | type",
            "an unknown type           | {\"type\":\"join\",\"workflowId\":1}                  | 400 | type",
            "an unknown field          | {\"type\":\"subscribe:workflow\",\"workflowId\":1,\"room\":1} | 400 | room",
            "a duplicate key           | {\"type\":\"subscribe:workflow\",\"workflowId\":1,\"workflowId\":2} | 400 | workflowId",
            "no workflow id            | {\"type\":\"subscribe:workflow\"}                     | 400 | workflowId",
            "a workflow id as a string | {\"type\":\"subscribe:workflow\",\"workflowId\":\"1\"} | 400 | workflowId",
            "a negative last seq       | {\"type\":\"subscribe:workflow\",\"workflowId\":1,\"lastSeq\":-1} | 400 | lastSeq",
            "an unknown workflow       | {\"type\":\"subscribe:workflow\",\"workflowId\":987654} | 404 | workflowId",
            "an unsubscribe unasked    | {\"type\":\"unsubscribe:workflow\",\"workflowId\":1} | 404 | workflowId"})
    void answersABadMessageWithAnErrorNamingTheField(String what, String message, int status, String field) {
        server.createWorkflow("So that workflow 1 exists");
        try (SocketClient client = new SocketClient(server)) {
            client.send(message);

            JsonNode error = client.next("error");

            assertThat(error.get("status").asInt()).isEqualTo(status);
            assertThat(error.get("field").asText()).isEqualTo(field);
            assertThat(error.get("error").asText()).isNotBlank();
        }
    }

    @Test
    void refusesASecondSubscriptionToTheSameWorkflowOnOneConnection() {
        long id = server.createWorkflow("Add a settings page");
        try (SocketClient client = new SocketClient(server)) {
            client.subscribe(id, 0);
            client.next("subscribed");
            client.subscribe(id, 3);

            JsonNode error = client.next("error");

            assertThat(error.get("status").asInt()).isEqualTo(409);
            assertThat(error.get("field").asText()).isEqualTo("workflowId");
        }
    }

    @Test
    void closingTheSocketEndsItsSubscriptions() {
        long id = server.createWorkflow("Add a settings page");
        SocketClient client = new SocketClient(server);
        client.subscribe(id, 0);
        client.next("subscribed");
        await().atMost(TestServer.WAIT).until(() -> server.server.connectionCount() == 1);

        client.close();

        await().atMost(TestServer.WAIT).until(() -> server.server.connectionCount() == 0);
    }

    /** What the appender holds now (it appends holding its own lock). */
    private static List<ILoggingEvent> logged(ListAppender<ILoggingEvent> appender) {
        synchronized (appender) {
            return List.copyOf(appender.list);
        }
    }

    private static boolean isMessage(JsonNode text) {
        return text.path("event").asText().equals("message:new");
    }

    /** Every text is of this workflow, and its messages are the whole thread, 1 to last_seq, once each. */
    private static void assertOnlyAndAllOf(List<JsonNode> received, long workflowId) {
        assertThat(received).allSatisfy(text -> assertThat(text.get("workflowId").asLong()).isEqualTo(workflowId));
        long lastSeq = server.workflow(workflowId).get("last_seq").asLong();
        assertThat(received.stream().filter(ThreadSocketTest::isMessage).map(m -> m.get("seq").asLong()))
                .containsExactlyElementsOf(LongStream.rangeClosed(1, lastSeq).boxed().toList());
        assertThat(received).extracting(text -> text.get("event").asText())
                .contains("subscribed", "workflow:updated", "message:new", "workflow:completed");
    }
}
