package dev.workflowthread.examples.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A WebSocket client of the demo server that keeps every JSON text it receives, in order. */
final class SocketClient implements WebSocket.Listener, AutoCloseable {
    private final BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
    private final List<JsonNode> all = new ArrayList<>();
    private final StringBuilder partial = new StringBuilder();
    private final WebSocket socket;

    SocketClient(TestServer server) {
        this.socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + server.server.port() + "/ws"), this)
                .orTimeout(10, TimeUnit.SECONDS)
                .join();
    }

    void send(String json) {
        socket.sendText(json, true).orTimeout(10, TimeUnit.SECONDS).join();
    }

    void subscribe(long workflowId, long lastSeq) {
        send("{\"type\":\"subscribe:workflow\",\"workflowId\":" + workflowId + ",\"lastSeq\":" + lastSeq + "}");
    }

    /** Waits for the next text that matches, keeping the ones before it; fails after {@code within}. */
    JsonNode next(Predicate<JsonNode> matching, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        try {
            while (true) {
                JsonNode text = received.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (text == null) {
                    throw new AssertionError("nothing matching came within " + within + "; received " + all);
                }
                all.add(text);
                if (matching.test(text)) {
                    return text;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The next text whose {@code event} is {@code name}. */
    JsonNode next(String name) {
        return next(text -> text.path("event").asText().equals(name), TestServer.WAIT);
    }

    /** Everything received so far, in order (draining what came in meanwhile). */
    List<JsonNode> received() {
        received.drainTo(all);
        return List.copyOf(all);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            try {
                received.add(TestServer.JSON.readTree(partial.toString()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            partial.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public void close() {
        socket.abort();
    }
}
