package dev.workflowthread.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.workflowthread.ActionType;
import dev.workflowthread.SendRequest;
import dev.workflowthread.WorkflowMessages;
import dev.workflowthread.inmemory.InMemoryThreadStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The WebSocket session driven directly: replay then live, reconnect with a last seq, a slow client closed, heartbeats. */
class SocketSessionTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(20);
    private final WorkflowMessages messages = WorkflowMessages.create(InMemoryThreadStore.create());
    private final WorkflowHost host = id -> id < 100 ? Optional.of(Map.of("task_description", "task " + id)) : Optional.empty();
    private ThreadSockets sockets;

    @AfterEach
    void close() {
        if (sockets != null) {
            sockets.close();
        }
        messages.close();
    }

    /** A client: what it was sent, completing each send at once unless it stalls; how it was closed. */
    private static final class Client implements SocketSender {
        final List<JsonNode> received = new CopyOnWriteArrayList<>();
        final List<Integer> closedWith = new CopyOnWriteArrayList<>();
        final boolean stalls;

        Client(boolean stalls) {
            this.stalls = stalls;
        }

        @Override
        public void sendText(String text, Completion completion) {
            try {
                received.add(JSON.readTree(text));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (!stalls) {
                completion.sent();
            }
        }

        @Override
        public void close(int code, String reason) {
            closedWith.add(code);
        }

        List<Long> messageSeqs() {
            return received.stream().filter(t -> t.path("event").asText().equals("message:new"))
                    .map(t -> t.get("seq").asLong()).toList();
        }

        List<String> events() {
            return received.stream().map(t -> t.path("event").asText()).toList();
        }
    }

    private static String subscribe(long id, long lastSeq) {
        return "{\"type\":\"subscribe:workflow\",\"workflowId\":" + id + ",\"lastSeq\":" + lastSeq + "}";
    }

    private void say(long id, int count) {
        for (int i = 0; i < count; i++) {
            messages.send(id, new SendRequest("note " + i, ActionType.COMMENT, null, "reviewer"));
        }
    }

    @Test
    void replaysAfterTheLastSeqThenGoesLiveOnceEachInOrderAndCatchesUpOnReconnect() {
        sockets = ThreadSockets.builder(messages, host).heartbeat(Duration.ZERO).build();
        messages.start(7);
        say(7, 5);
        Client first = new Client(false);
        SocketSession session = sockets.open(first);
        session.onText(subscribe(7, 0));
        await().atMost(WAIT).until(() -> first.messageSeqs().size() == 5);
        assertThat(first.events().subList(0, 2)).containsExactly("subscribed", "workflow:updated");
        say(7, 3);
        await().atMost(WAIT).until(() -> first.messageSeqs().size() == 8);
        assertThat(first.messageSeqs()).containsExactlyElementsOf(LongStream.rangeClosed(1, 8).boxed().toList());
        session.onClose();
        assertThat(sockets.connectionCount()).isZero();

        say(7, 4); // while it is away
        messages.pause(7, "a look");
        Client again = new Client(false);
        sockets.open(again).onText(subscribe(7, 8));
        long last = messages.getState(7).lastSeq();
        await().atMost(WAIT).until(() -> again.received.stream().anyMatch(t -> t.path("event").asText()
                .equals("workflow:updated") && t.get("seq").asLong() == last));
        assertThat(again.messageSeqs()).as("exactly what it missed")
                .containsExactlyElementsOf(LongStream.rangeClosed(9, last).boxed().toList());
        assertThat(again.received.get(1).get("seq").asLong()).as("the replay's start").isEqualTo(8);
        assertThat(again.received.get(1).get("workflow").get("task_description").asText()).isEqualTo("task 7");
        assertThat(sockets.awaitCaughtUp(WAIT)).isTrue();
    }

    @Test
    void refusesWhatItCannotTakeWithAnErrorEvent() {
        sockets = ThreadSockets.builder(messages, host).heartbeat(Duration.ZERO).build();
        messages.start(7);
        Client client = new Client(false);
        SocketSession session = sockets.open(client);
        session.onText("{\"type\":\"subscribe:workflow\",\"workflowId\":7,\"workflowId\":8}");
        session.onText("{\"type\":\"subscribe:workflow\",\"workflowId\":1.5}");
        session.onText(subscribe(100, 0));
        session.onText(subscribe(7, 0));
        session.onText(subscribe(7, 0));
        session.onText("{\"type\":\"unsubscribe:workflow\",\"workflowId\":9}");
        await().atMost(WAIT).until(() -> client.received.stream().filter(t -> t.path("event").asText().equals("error"))
                .count() == 5);
        List<String> errors = client.received.stream().filter(t -> t.path("event").asText().equals("error"))
                .map(t -> t.get("status").asInt() + " " + t.get("field").asText()).toList();
        assertThat(errors).containsExactly("400 workflowId", "400 workflowId", "404 workflowId", "409 workflowId",
                "404 workflowId");
    }

    @Test
    void aClientTooFarBehindIsClosedWith1013AndItsSubscriptionStops() {
        sockets = ThreadSockets.builder(messages, host).maxQueuedMessages(5).heartbeat(Duration.ZERO).build();
        messages.start(7);
        say(7, 20);
        Client slow = new Client(true);
        sockets.open(slow).onText(subscribe(7, 0));
        await().atMost(WAIT).until(() -> slow.closedWith.contains(SocketSession.TRY_AGAIN_LATER));
        assertThat(slow.received).as("one send in flight, never completed").hasSize(1);
        assertThat(sockets.connectionCount()).isZero();
    }

    @Test
    void aSilentConnectionGetsHeartbeatsForWhatItFollows() {
        sockets = ThreadSockets.builder(messages, host).heartbeat(Duration.ofMillis(100)).build();
        messages.start(7);
        say(7, 2);
        Client idle = new Client(false);
        SocketSession session = sockets.open(idle);
        await().atMost(WAIT).until(() -> idle.events().contains("heartbeat"));
        assertThat(idle.received.get(0).get("intervalMillis").asLong()).isEqualTo(100);
        session.onText(subscribe(7, 0));
        await().atMost(WAIT).until(() -> idle.received.stream().anyMatch(t -> t.path("event").asText().equals("heartbeat")
                && t.path("workflowId").asLong() == 7 && t.get("seq").asLong() == 2));
    }

    @Test
    void theUpgradeIsRefusedForAPageOfAnotherSite() {
        assertThat(ThreadSockets.refuseUpgrade(WebRequest.builder("GET", "/ws").header("Host", "localhost:8080")
                .header("Origin", "http://evil.example").build())).hasValueSatisfying(r -> assertThat(r.status()).isEqualTo(403));
        assertThat(ThreadSockets.refuseUpgrade(WebRequest.builder("GET", "/ws").header("Host", "localhost:8080")
                .header("Origin", "http://localhost:8080").build())).isEmpty();
    }
}
