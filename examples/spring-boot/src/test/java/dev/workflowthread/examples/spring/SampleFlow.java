package dev.workflowthread.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.workflowthread.micrometer.MicrometerObserver;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The sample as a person uses it, over real HTTP and a real WebSocket: start a workflow, follow
 * it live, pause, instruct, resume, cancel; then the health and the meters. Each database's test
 * runs it on an application of its own.
 */
abstract class SampleFlow {
    static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    @LocalServerPort
    int port;

    @Autowired
    MeterRegistry registry;

    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    HttpResponse<String> call(String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(WAIT);
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    /** Every frame the server sent, as JSON, in order. */
    static final class Frames implements WebSocket.Listener {
        final List<JsonNode> received = new CopyOnWriteArrayList<>();
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                received.add(json(partial.toString()));
                partial.setLength(0);
            }
            socket.request(1);
            return null;
        }

        JsonNode awaitFrame(String what, Predicate<JsonNode> matching) {
            return await(what).atMost(WAIT).until(() -> received.stream().filter(matching).findFirst().orElse(null),
                    frame -> frame != null);
        }

        private static org.awaitility.core.ConditionFactory await(String what) {
            return org.awaitility.Awaitility.await(what).pollInterval(Duration.ofMillis(20));
        }

        JsonNode awaitEvent(String event) {
            return awaitFrame(event, frame -> event.equals(frame.path("event").asText()));
        }
    }

    /** The whole flow; returns the workflow's id. */
    long startFollowPauseInstructResumeCancel() throws Exception {
        HttpResponse<String> created = call("POST", "/api/workflows",
                "{\"task_description\":\"Add a dark mode toggle to the settings page\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String location = created.headers().firstValue("Location").orElseThrow();
        long id = Long.parseLong(location.substring(location.lastIndexOf('/') + 1));

        Frames frames = new Frames();
        WebSocket socket = http.newWebSocketBuilder().buildAsync(URI.create("ws://localhost:" + port + "/ws"), frames)
                .get(10, TimeUnit.SECONDS);
        try {
            socket.sendText("{\"type\":\"subscribe:workflow\",\"workflowId\":" + id + ",\"lastSeq\":0}", true)
                    .get(10, TimeUnit.SECONDS);
            frames.awaitFrame("an agent's narration", frame -> "message:new".equals(frame.path("event").asText())
                    && "agent".equals(frame.path("message").path("message_type").asText()));

            assertThat(call("POST", "/api/workflows/" + id + "/pause", "{\"content\":\"Let me look first\"}")
                    .statusCode()).isEqualTo(202);
            JsonNode paused = frames.awaitEvent("workflow:paused");
            assertThat(paused.path("reason").asText()).isEqualTo("Let me look first");
            assertThat(call("GET", "/api/workflows/" + id, null).body()).contains("\"is_paused\":true");

            HttpResponse<String> instructed = call("POST", "/api/workflows/" + id + "/messages",
                    "{\"content\":\"Use the system colour scheme by default\",\"action_type\":\"instruction\"}");
            assertThat(instructed.statusCode()).as(instructed.body()).isEqualTo(201);
            long instructionId = json(instructed.body()).path("messageId").asLong();

            assertThat(call("POST", "/api/workflows/" + id + "/unpause", null).statusCode()).isEqualTo(202);
            frames.awaitEvent("workflow:unpaused");
            frames.awaitFrame("the agent's reply to the instruction", frame ->
                    frame.path("message").path("metadata").path("inReplyTo").asLong() == instructionId);

            HttpResponse<String> cancelled = call("DELETE", "/api/workflows/" + id, "{\"content\":\"Enough for today\"}");
            assertThat(cancelled.statusCode()).as(cancelled.body()).isEqualTo(202);
            JsonNode end = frames.awaitEvent("workflow:cancelled");
            assertThat(end.path("reason").asText()).isEqualTo("Enough for today");

            // Once each, in seq order, on the socket: what the thread holds.
            List<Long> seqs = frames.received.stream().filter(f -> f.path("event").asText().equals("message:new"))
                    .map(f -> f.path("seq").asLong()).toList();
            assertThat(seqs).isSorted().doesNotHaveDuplicates().first().isEqualTo(1L);
        } finally {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(10, TimeUnit.SECONDS);
        }
        return id;
    }

    void assertHealthUp() throws Exception {
        HttpResponse<String> health = call("GET", "/actuator/health", null);
        assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
        JsonNode thread = json(health.body()).path("components").path("workflowThread");
        assertThat(thread.path("status").asText()).as(health.body()).isEqualTo("UP");
        assertThat(thread.path("details").path("hearingOtherProcesses").asBoolean()).isTrue();
    }

    private double count(String name, String... tags) {
        return registry.get(name).tags(tags).counter().count();
    }

    /** The meters after exactly one run of {@link #startFollowPauseInstructResumeCancel}. */
    void assertMetersOfOneFlow() {
        assertThat(count(MicrometerObserver.MESSAGES_SENT, "action", "pause", "outcome", "pause_requested")).isEqualTo(1);
        assertThat(count(MicrometerObserver.MESSAGES_SENT, "action", "instruction", "outcome", "instruction_queued"))
                .isEqualTo(1);
        assertThat(count(MicrometerObserver.MESSAGES_SENT, "action", "resume", "outcome", "resume_requested")).isEqualTo(1);
        assertThat(count(MicrometerObserver.MESSAGES_SENT, "action", "cancel", "outcome", "cancel_requested")).isEqualTo(1);
        assertThat(count(MicrometerObserver.MESSAGES_APPLIED, "action", "pause", "outcome", "processed")).isEqualTo(1);
        assertThat(count(MicrometerObserver.MESSAGES_APPLIED, "action", "resume", "outcome", "processed")).isEqualTo(1);
        assertThat(count(MicrometerObserver.MESSAGES_APPLIED, "action", "cancel", "outcome", "processed")).isEqualTo(1);
        assertThat(count(MicrometerObserver.MESSAGES_APPLIED, "action", "instruction", "outcome", "acknowledged"))
                .isEqualTo(1);
        assertThat(registry.get(MicrometerObserver.CHECKPOINT_LATENCY).tag("action", "cancel").timer().count())
                .isEqualTo(1);
        assertThat(registry.get(MicrometerObserver.PAUSE_DURATION).timer().count()).isEqualTo(1);
        assertThat(registry.get(MicrometerObserver.LISTENER_LAG).timer().count()).isPositive();
        assertThat(registry.find(MicrometerObserver.STORE_FAILURES).counters())
                .allSatisfy(counter -> assertThat(counter.count()).isZero());
        assertThat(registry.get(MicrometerObserver.HEARING_OTHER_PROCESSES).gauge().value()).isEqualTo(1);
    }

}
