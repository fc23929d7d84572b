package dev.workflowthread.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.workflowthread.InvalidMessageException;
import dev.workflowthread.SendRequest;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Coverage-guided fuzzing of {@link WireFormat#parseSendRequest(String)} with Jazzer. The
 * documented contract, and nothing more: for any text it returns a request or throws
 * {@link InvalidMessageException} naming a field; any other exception or error (a
 * {@code NullPointerException}, a {@code StackOverflowError}, Jackson's own exceptions) fails.
 * A request it returns has a content and an action, and reads back the same when written as the
 * wire document it stands for.
 *
 * <p>{@code ./mvnw verify} fuzzes it for a bounded time (see DEVELOPERS.md); a plain test run
 * replays the committed seeds under {@code WireFormatFuzzTestInputs/parseSendRequest/}.
 */
class WireFormatFuzzTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @FuzzTest(maxDuration = "40s")
    @DictionaryEntries({"\"content\"", "\"action_type\"", "\"metadata\"", "\"author\"", "\"idempotency_key\"", "\"comment\"",
            "\"pause\"", "\"resume\"", "\"cancel\"", "\"redirect\"", "\"instruction\"", "\"newTaskDescription\"",
            "null", "true", "false", "1e400", "-0.0", "\\u0000", "\\ud800", "[", "{", "}", "]", ":", ","})
    void parseSendRequest(byte[] input) throws JsonProcessingException {
        String json = new String(input, StandardCharsets.UTF_8);
        SendRequest request;
        try {
            request = WireFormat.parseSendRequest(json);
        } catch (InvalidMessageException refused) {
            assertThat(refused.field()).as("the field a refusal names").isNotNull();
            assertThat(refused.getMessage()).as("what a refusal says").isNotBlank();
            return;
        }
        assertThat(request.content()).as("a parsed request's content").isNotNull();
        assertThat(request.actionType()).as("a parsed request's action").isNotNull();
        if (isFinite(request.metadata())) {
            // Infinite numbers (1e400) have no JSON form; send refuses them, naming metadata.
            assertThat(WireFormat.parseSendRequest(render(request))).as("the request read back").isEqualTo(request);
        }
    }

    /** The wire document a request stands for. */
    static String render(SendRequest request) throws JsonProcessingException {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("content", request.content());
        document.put("action_type", request.actionType().wireName());
        if (request.metadata() != null) {
            document.put("metadata", request.metadata());
        }
        if (request.idempotencyKey() != null) {
            document.put("idempotency_key", request.idempotencyKey());
        }
        if (request.author() != null) {
            document.put("author", request.author());
        }
        return JSON.writeValueAsString(document);
    }

    private static boolean isFinite(Object value) {
        if (value instanceof Double d) {
            return Double.isFinite(d);
        }
        if (value instanceof Float f) {
            return Float.isFinite(f);
        }
        if (value instanceof Map<?, ?> map) {
            return map.values().stream().allMatch(WireFormatFuzzTest::isFinite);
        }
        if (value instanceof Collection<?> list) {
            return list.stream().allMatch(WireFormatFuzzTest::isFinite);
        }
        return true;
    }
}
