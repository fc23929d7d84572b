package dev.workflowthread.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.workflowthread.WorkflowMessages;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The starter's WebSocket behind the same real Spring Security filter chain as
 * {@link SpringSecurityAuthorTest}, over a real connection: the chain answers an upgrade without
 * credentials, or with wrong ones, 401 and no socket is opened; an authenticated upgrade follows a
 * workflow, its history and then, live, what the authenticated person posts over REST.
 */
@SpringBootTest(classes = SecuredApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.flyway.enabled=false")
class SpringSecurityWebSocketTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);

    @LocalServerPort
    int port;

    @Autowired
    WorkflowMessages messages;

    @Test
    void anUpgradeTheChainDoesNotAuthenticateIsAnswered401() {
        for (String password : new String[] {null, "guess"}) {
            Throwable refused = catchThrowable(() -> connect(password, new Frames()));
            assertThat(refused).as("password %s", password).isInstanceOf(CompletionException.class)
                    .hasCauseInstanceOf(WebSocketHandshakeException.class);
            WebSocketHandshakeException handshake = (WebSocketHandshakeException) refused.getCause();
            assertThat(handshake.getResponse().statusCode()).as("password %s", password).isEqualTo(401);
        }
    }

    @Test
    void anAuthenticatedUpgradeFollowsTheHistoryAndThenLiveWhatThePersonPosts() throws Exception {
        long workflow = 11;
        messages.start(workflow);
        SecuredApplication.Client client = new SecuredApplication.Client(port);
        post(client, workflow, "Use the staging database");
        Frames frames = new Frames();
        WebSocket socket = connect(SecuredApplication.PASSWORD, frames);
        try {
            socket.sendText("{\"type\":\"subscribe:workflow\",\"workflowId\":" + workflow + ",\"lastSeq\":0}", true)
                    .get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(frames.next("subscribed").path("workflowId").asLong()).isEqualTo(workflow);
            JsonNode history = frames.nextMessage();
            assertThat(history.path("content").asText()).isEqualTo("Use the staging database");
            assertThat(history.path("author").asText()).isEqualTo(SecuredApplication.USER);

            post(client, workflow, "Then run the migrations");
            JsonNode live = frames.nextMessage();
            assertThat(live.path("content").asText()).isEqualTo("Then run the migrations");
            assertThat(live.path("author").asText()).isEqualTo(SecuredApplication.USER);
            assertThat(live.path("workflow_id").asLong()).isEqualTo(workflow);
        } finally {
            socket.abort(); // never throws, so a failed assertion above is what the test reports
        }
    }

    private static void post(SecuredApplication.Client client, long workflow, String instruction) throws Exception {
        var sent = client.asUser("POST", "/api/workflows/" + workflow + "/messages",
                "{\"content\":\"" + instruction + "\",\"action_type\":\"instruction\"}");
        assertThat(sent.statusCode()).as(sent.body()).isEqualTo(201);
    }

    /** Opens {@code /ws} as the application's user with {@code password} over HTTP Basic, or with no credentials when it is null. */
    private WebSocket connect(String password, Frames frames) {
        WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(WAIT);
        if (password != null) {
            builder.header("Authorization", SecuredApplication.basic(SecuredApplication.USER, password));
        }
        return builder.buildAsync(URI.create("ws://localhost:" + port + "/ws"), frames).join();
    }

    /** The text frames a socket received, as JSON, in order. */
    private static final class Frames implements WebSocket.Listener {
        private final BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    received.add(JSON.readTree(partial.toString()));
                } catch (IOException e) {
                    throw new AssertionError("not JSON: " + partial, e);
                }
                partial.setLength(0);
            }
            socket.request(1);
            return null;
        }

        /** The message of the next {@code message:new} that carries a person's message. */
        JsonNode nextMessage() throws InterruptedException {
            while (true) {
                JsonNode message = next("message:new").path("message");
                if ("user".equals(message.path("message_type").asText())) {
                    return message;
                }
            }
        }

        /** The next frame whose {@code event} is {@code event}, passing over others (such as {@code workflow:updated}). */
        JsonNode next(String event) throws InterruptedException {
            List<String> passed = new ArrayList<>();
            long deadline = System.nanoTime() + WAIT.toNanos();
            for (JsonNode frame = received.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS); frame != null;
                    frame = received.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                if (event.equals(frame.path("event").asText())) {
                    return frame;
                }
                passed.add(frame.path("event").asText());
            }
            throw new AssertionError("no " + event + " within " + WAIT + "; passed over " + passed);
        }
    }
}
