package dev.workflowthread.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.workflowthread.Message;
import dev.workflowthread.WorkflowMessages;
import dev.workflowthread.inmemory.InMemoryThreadStore;
import dev.workflowthread.web.WorkflowHost;
import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The README's lines that mount the web module on another server: they stand in the README as compiled, and they serve. */
class ReadmeWebMountTest {

    @Test
    void theReadmeShowsTheMountAsItIsCompiled() throws Exception {
        String unindented = ReadmeSnippet.of("ReadmeWebMount.java", 8);
        assertThat(ReadmeSnippet.readme()).contains(unindented);
    }

    @Test
    void theMountedApiTakesAMessageAsTheUserAndTheSocketFollowsTheWorkflow() throws Exception {
        try (WorkflowMessages messages = WorkflowMessages.create(InMemoryThreadStore.create())) {
            messages.start(7);
            WorkflowHost host = id -> id == 7 ? Optional.of(Map.of("task_description", "Add a page")) : Optional.empty();
            Javalin app = ReadmeWebMount.start(messages, host, ctx -> "alice", 0);
            try {
                HttpClient http = HttpClient.newHttpClient();
                HttpResponse<String> sent = http.send(HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + app.port() + "/api/workflows/7/messages"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"content\":\"Use dark mode\"}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(sent.statusCode()).as(sent.body()).isEqualTo(201);
                assertThat(messages.getMessages(7)).last().extracting(Message::author).isEqualTo("alice");

                LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
                WebSocket socket = http.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + app.port() + "/ws"),
                        new WebSocket.Listener() {
                            @Override
                            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                                received.add(data.toString());
                                webSocket.request(1);
                                return null;
                            }
                        }).get(10, TimeUnit.SECONDS);
                socket.sendText("{\"type\":\"subscribe:workflow\",\"workflowId\":7}", true).get(10, TimeUnit.SECONDS);
                String text;
                do {
                    text = received.poll(20, TimeUnit.SECONDS);
                    assertThat(text).as("the replay of the message").isNotNull();
                } while (!text.contains("\"message:new\""));
                assertThat(text).contains("Use dark mode");
                socket.abort();

                HttpResponse<String> page = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + app.port() + "/workflow-thread/workflow-thread.js")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(page.body()).contains("customElements.define('workflow-thread'");
            } finally {
                app.stop();
            }
        }
    }
}
