package dev.workflowthread.examples.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.SilentCloseable;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.workflowthread.examples.agents.Pace;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;

/**
 * Coverage-guided fuzzing of the demo's REST request handling: the demo server runs in the test
 * JVM on the loopback, and each input becomes one HTTP/1.1 request, sent by {@link RawHttp} so
 * that any body bytes, header values and paths can be sent.
 * The documented contract, and nothing more: every answer has one of the statuses
 * {@link ApiRoutes} documents, never a 500, nor a 503 (documented for a failing database, which
 * the private in-memory H2 here is not); every refusal is JSON,
 * {@code {"status":…,"error":"…","field":…}}, and a 400, 413 or 415 names its field.
 *
 * <p>An input is: a byte choosing the method, one the path, one the Content-Type, one the Origin;
 * then the path's id segment up to a line break, the query up to the next, and the rest is the
 * body, as bytes. What Jetty refuses before any route runs (control characters such as
 * {@code %00}, '%', '/', '.', '\\' and ';' in a segment) is sent percent-encoded, and must be
 * answered with the same JSON error body, whose {@code field} may then be null.
 */
class RestApiFuzzTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<Integer> DOCUMENTED = Set.of(200, 201, 202, 400, 403, 404, 405, 409, 413, 415, 429);
    /** A 403 of the starter rule names nothing on a shorthand, whose path is the action (as a 409 there). */
    private static final Set<Integer> NAMING_A_FIELD = Set.of(400, 413, 415);
    private static final String[] METHODS = {"GET", "POST", "DELETE", "PUT", "PATCH", "HEAD"};
    private static final String[] PATHS = {"/api/workflows", "/api/workflows/{id}", "/api/workflows/{id}/messages",
        "/api/workflows/{id}/pause", "/api/workflows/{id}/unpause", "/api/workflows/{id}/{id}", "/api/{id}"};
    private static final String[] CONTENT_TYPES = {"application/json", "application/json; charset=utf-8", null,
        "APPLICATION/JSON", "text/plain", "application/x-www-form-urlencoded", "application/jsonx", ";"};

    /** Slow agents and at most two running workflows, so that creations soon meet the limit (429). */
    private static final TestServer SERVER = TestServer.start(DemoServer.Settings.inMemory()
            .withPace(Pace.HUMAN).withMaxRunning(2));

    static {
        long first = SERVER.createWorkflow("the first workflow");
        long second = SERVER.createWorkflow("the second workflow");
        assertThat(new long[] {first, second}).containsExactly(1, 2);
        SERVER.delete("/api/workflows/" + second);
    }

    @AfterAll
    static void stop() {
        SERVER.close();
    }

    @FuzzTest(maxDuration = "40s")
    @DictionaryEntries({"\"content\"", "\"action_type\"", "\"metadata\"", "\"author\"", "\"task_description\"",
            "\"pause\"", "\"resume\"", "\"cancel\"", "\"redirect\"", "\"instruction\"", "\"newTaskDescription\"",
            "after=", "limit=", "&", "1", "2", "0", "-1", "1000", "9223372036854775808", "null", "{", "}", ":", ","})
    void request(byte[] input) throws IOException {
        if (input.length < 4) {
            return;
        }
        String method = METHODS[Byte.toUnsignedInt(input[0]) % METHODS.length];
        String path = PATHS[Byte.toUnsignedInt(input[1]) % PATHS.length];
        String contentType = CONTENT_TYPES[Byte.toUnsignedInt(input[2]) % CONTENT_TYPES.length];
        String origin = switch (Byte.toUnsignedInt(input[3]) % 4) {
            case 0 -> "http://127.0.0.1:" + SERVER.server.port();
            case 1 -> "http://evil.example";
            default -> null;
        };
        int idEnd = indexOf(input, 4, (byte) '\n');
        int queryEnd = indexOf(input, idEnd + 1, (byte) '\n');
        Encoded id = encode(Arrays.copyOfRange(input, 4, idEnd), false);
        Encoded query = encode(Arrays.copyOfRange(input, Math.min(idEnd + 1, input.length), queryEnd), true);
        byte[] body = Arrays.copyOfRange(input, Math.min(queryEnd + 1, input.length), input.length);
        String target = path.replace("{id}", id.text().isEmpty() ? "1" : id.text())
                + (query.text().isEmpty() ? "" : "?" + query.text());
        boolean refusedByJetty = id.refusedByJetty() || query.refusedByJetty();

        Map<String, String> headers = new LinkedHashMap<>();
        if (contentType != null) {
            headers.put("Content-Type", contentType);
        }
        if (origin != null) {
            headers.put("Origin", origin);
        }
        StringBuilder head = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n")
                .append("Host: 127.0.0.1:").append(SERVER.server.port()).append("\r\n");
        headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        head.append("Content-Length: ").append(body.length).append("\r\n");
        RawHttp.Response response;
        // Jazzer's SSRF detector stops connections the test did not declare: this one is to the demo only.
        try (SilentCloseable toTheDemo = BugDetectors.allowNetworkConnections((host, port) ->
                port == SERVER.server.port() && (host.equals("localhost") || host.equals("127.0.0.1")))) {
            response = RawHttp.send(SERVER.server.port(), head.toString(), body);
        }
        String described = method + " " + target + " " + headers + " body " + HexFormat.of().formatHex(body)
                + " -> " + response;
        assertThat(DOCUMENTED).as(described).contains(response.status());
        if (response.status() >= 400 && !method.equals("HEAD")) {
            assertThat(response.headers().getOrDefault("content-type", "")).as(described).startsWith("application/json");
            JsonNode error = JSON.readTree(response.body());
            assertThat(error.path("status").asInt()).as(described).isEqualTo(response.status());
            assertThat(error.path("error").isTextual()).as(described).isTrue();
            assertThat(error.has("field")).as(described).isTrue();
            if (NAMING_A_FIELD.contains(response.status()) && !(refusedByJetty && response.status() == 400)) {
                assertThat(error.get("field").isTextual()).as(described).isTrue();
            }
        }
    }

    private static int indexOf(byte[] input, int from, byte wanted) {
        for (int i = from; i < input.length; i++) {
            if (input[i] == wanted) {
                return i;
            }
        }
        return input.length;
    }

    /** A path segment or query, and whether it holds what Jetty refuses before any route runs. */
    private record Encoded(String text, boolean refusedByJetty) {
    }

    /**
     * A path segment (or a query) from the fuzzer's bytes, read as UTF-8: letters, digits and
     * {@code -_~+} as they are (in a query {@code =&.} too), everything else percent-encoded;
     * control characters and the ones listed in the class comment mark it as Jetty's to refuse.
     */
    private static Encoded encode(byte[] raw, boolean query) {
        StringBuilder out = new StringBuilder();
        boolean[] refusedByJetty = {false};
        String text = new String(raw, StandardCharsets.UTF_8);
        text.codePoints().forEach(c -> {
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-_~+".indexOf(c) >= 0
                    || (query && "=&.".indexOf(c) >= 0)) {
                out.append((char) c);
                return;
            }
            if (Character.isISOControl(c) || "%/.\\;".indexOf(c) >= 0) {
                refusedByJetty[0] = true;
            }
            for (byte b : new String(Character.toChars(c)).getBytes(StandardCharsets.UTF_8)) {
                out.append('%').append(String.format(Locale.ROOT, "%02X", b));
            }
        });
        return new Encoded(out.toString(), refusedByJetty[0]);
    }
}
