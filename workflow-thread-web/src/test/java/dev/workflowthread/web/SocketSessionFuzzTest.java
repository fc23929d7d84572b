package dev.workflowthread.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.workflowthread.WorkflowMessages;
import dev.workflowthread.inmemory.InMemoryThreadStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;

/**
 * Coverage-guided fuzzing of the WebSocket frame handling: each input is one text frame, handed
 * to a {@link SocketSession} on a sender that records what it sends (no network, so that the
 * fuzzer runs thousands of frames a second). The documented contract, and nothing more: every
 * frame gets an answer right away; everything sent is a JSON object with an {@code event}; a
 * refusal is an {@code error} event with a documented status (400, 404, 409) and, for a 400, the
 * field at fault; never a 500.
 */
class SocketSessionFuzzTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<Integer> REFUSALS = Set.of(400, 404, 409);
    /** A fresh session now and then, so that its subscriptions do not pile up. */
    private static final int FRAMES_PER_CONNECTION = 200;

    private static final WorkflowMessages MESSAGES = WorkflowMessages.create(InMemoryThreadStore.create());
    /** Workflows 1 (running, paused), 2 (finished) and 3 (the host's, whose thread never started). */
    private static final WorkflowHost HOST = id -> id >= 1 && id <= 3
            ? Optional.of(Map.of("task_description", "workflow " + id)) : Optional.empty();
    private static final ThreadSockets SOCKETS = ThreadSockets.builder(MESSAGES, HOST).heartbeat(java.time.Duration.ZERO)
            .build();

    static {
        MESSAGES.start(1);
        MESSAGES.narrator(1, "plan", null).say("Planning");
        MESSAGES.pause(1, "a look");
        MESSAGES.start(2);
        MESSAGES.complete(2, "done");
    }

    private static final List<String> SENT = new CopyOnWriteArrayList<>();
    private static SocketSession session;
    private static int frames;
    /** How many of {@link #SENT} were checked: the replays of a subscription come on the library's thread. */
    private static int checked;

    @AfterAll
    static void close() {
        SOCKETS.close();
        MESSAGES.close();
    }

    @FuzzTest(maxDuration = "40s")
    @DictionaryEntries({"\"type\"", "\"workflowId\"", "\"lastSeq\"", "\"subscribe:workflow\"",
            "\"unsubscribe:workflow\"", "1", "2", "3", "4", "0", "-1", "1.0", "1.5", "1e3", "9223372036854775808",
            "null", "true", "{", "}", "[", "]", ":", ","})
    void frame(byte[] input) throws IOException {
        if (session == null || frames++ % FRAMES_PER_CONNECTION == 0) {
            if (session != null) {
                session.onClose();
            }
            SENT.clear();
            checked = 0;
            session = SOCKETS.open(recordingSender());
        }
        String text = new String(input, StandardCharsets.UTF_8);
        int before = SENT.size();
        session.onText(text);
        // Right away, or as soon as a replay text in flight on the library's thread was sent: the
        // outbox has one send in flight, so the answer may go out from that thread.
        if (SENT.size() <= before) {
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(1))
                    .until(() -> SENT.size() > before);
        }
        List<String> sent = List.copyOf(SENT);
        assertThat(sent.size()).as("texts sent for the frame %s", text).isGreaterThan(before);
        for (String answer : sent.subList(checked, sent.size())) {
            checkSent(text, answer);
        }
        checked = sent.size();
    }

    private static void checkSent(String frame, String answer) throws IOException {
        JsonNode node = JSON.readTree(answer);
        assertThat(node.isObject()).as("an answer to %s: %s", frame, answer).isTrue();
        assertThat(node.path("event").isTextual()).as("the event of %s", answer).isTrue();
        if (node.get("event").asText().equals("error")) {
            int status = node.path("status").asInt();
            assertThat(REFUSALS).as("the status of %s, the answer to %s", answer, frame).contains(status);
            assertThat(node.path("error").isTextual()).as("the error of %s", answer).isTrue();
            assertThat(node.has("field")).as("the field of %s", answer).isTrue();
            if (status == 400) {
                assertThat(node.get("field").isTextual()).as("the field of %s, the answer to %s", answer, frame).isTrue();
            }
        }
    }

    /** A sender that records every text and completes its send at once. */
    private static SocketSender recordingSender() {
        return new SocketSender() {
            @Override
            public void sendText(String text, Completion completion) {
                SENT.add(text);
                completion.sent();
            }

            @Override
            public void close(int code, String reason) {
            }
        };
    }
}
