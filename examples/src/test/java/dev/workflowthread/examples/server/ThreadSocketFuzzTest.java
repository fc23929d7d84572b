package dev.workflowthread.examples.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.workflowthread.WorkflowMessages;
import dev.workflowthread.inmemory.InMemoryThreadStore;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;

/**
 * Coverage-guided fuzzing of the demo's WebSocket frame handling: each input is one text frame,
 * handed to a connection of {@link ThreadSocket} in the test JVM, on a session that records what
 * the server sends (no network, so that the fuzzer runs thousands of frames a second). The
 * documented contract, and nothing more: every frame gets an answer right away; everything the
 * server sends is a JSON object with an {@code event}; a refusal is an {@code error} event with a
 * documented status (400, 404, 409) and, for a 400, the field at fault; never a 500.
 *
 * <p>The connection is {@code ThreadSocket}'s own private class, reached by reflection: Javalin
 * offers no way to make a {@code WsMessageContext} without a servlet request, and going over a real
 * socket would cost most of the fuzzer's speed.
 */
class ThreadSocketFuzzTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<Integer> REFUSALS = Set.of(400, 404, 409);
    /** A fresh connection now and then, so that its subscriptions do not pile up. */
    private static final int FRAMES_PER_CONNECTION = 200;

    private static final WorkflowMessages MESSAGES = WorkflowMessages.create(InMemoryThreadStore.create());
    private static final ThreadSocket SOCKET;
    private static final Constructor<?> CONNECTION;
    private static final Method HANDLE;
    private static final Method CLOSE;

    static {
        HostWorkflows host = new HostWorkflows(Jdbi.create("jdbc:h2:mem:socket-fuzz-" + UUID.randomUUID()
                + ";DB_CLOSE_DELAY=-1"), Clock.systemUTC());
        long running = host.create("a running workflow", "visitor-fuzz").id();
        long finished = host.create("a finished workflow", "visitor-fuzz").id();
        long noThread = host.create("a workflow whose thread never started", "visitor-fuzz").id();
        MESSAGES.start(running);
        MESSAGES.narrator(running, "plan", null).say("Planning");
        MESSAGES.pause(running, "a look");
        MESSAGES.start(finished);
        MESSAGES.complete(finished, "done");
        assertThat(List.of(running, finished, noThread)).containsExactly(1L, 2L, 3L);
        SOCKET = new ThreadSocket(MESSAGES, host);
        try {
            Class<?> type = Class.forName(ThreadSocket.class.getName() + "$Connection");
            CONNECTION = type.getDeclaredConstructor(ThreadSocket.class, Session.class);
            CONNECTION.setAccessible(true);
            HANDLE = type.getDeclaredMethod("handle", String.class);
            HANDLE.setAccessible(true);
            CLOSE = type.getDeclaredMethod("close");
            CLOSE.setAccessible(true);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final List<String> SENT = new CopyOnWriteArrayList<>();
    private static Object connection;
    private static int frames;
    /** How many of {@link #SENT} were checked: the replays of a subscription come on the library's thread. */
    private static int checked;

    @AfterAll
    static void close() throws ReflectiveOperationException {
        if (connection != null) {
            CLOSE.invoke(connection);
        }
        MESSAGES.close();
    }

    @FuzzTest(maxDuration = "40s")
    @DictionaryEntries({"\"type\"", "\"workflowId\"", "\"lastSeq\"", "\"subscribe:workflow\"",
            "\"unsubscribe:workflow\"", "1", "2", "3", "4", "0", "-1", "1.0", "1.5", "1e3", "9223372036854775808",
            "null", "true", "{", "}", "[", "]", ":", ","})
    void frame(byte[] input) throws Throwable {
        if (connection == null || frames++ % FRAMES_PER_CONNECTION == 0) {
            if (connection != null) {
                CLOSE.invoke(connection);
            }
            SENT.clear();
            checked = 0;
            connection = CONNECTION.newInstance(SOCKET, recordingSession());
        }
        String text = new String(input, StandardCharsets.UTF_8);
        int before = SENT.size();
        try {
            HANDLE.invoke(connection, text);
        } catch (InvocationTargetException e) {
            throw e.getCause(); // handle throws nothing it documents
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

    /** A session that records every text and completes its send at once. */
    private static Session recordingSession() {
        return (Session) Proxy.newProxyInstance(Session.class.getClassLoader(), new Class<?>[] {Session.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "sendText" -> {
                        SENT.add((String) args[0]);
                        ((Callback) args[1]).succeed();
                        yield null;
                    }
                    case "close" -> null;
                    case "isOpen" -> true;
                    case "toString" -> "RecordingSession";
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
