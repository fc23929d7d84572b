package dev.workflowthread.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.workflowthread.ActionStatus;
import dev.workflowthread.ActionType;
import dev.workflowthread.InvalidMessageException;
import dev.workflowthread.Message;
import dev.workflowthread.MessageType;
import dev.workflowthread.SendRequest;
import dev.workflowthread.ThreadEvent;
import dev.workflowthread.WorkflowState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class WireFormatTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant AT = Instant.parse("2025-11-29T10:15:30.123Z");
    /** A state events carry; the wire leaves it out. */
    private static final WorkflowState STATE = WorkflowState.started(7).withLastSeq(12);

    private static Message userPause() {
        return new Message(41, 7, 12, 99L, MessageType.USER, "plan", "Please pause",
                Map.of("additionalContext", "requirements changed"), ActionType.PAUSE, ActionStatus.PENDING, AT, "alice");
    }

    private static Message agentComment(long seq, Instant createdAt) {
        return new Message(100 + seq, 7, seq, null, MessageType.AGENT, "code", "Reading file: src/index.ts",
                null, ActionType.COMMENT, ActionStatus.PROCESSED, createdAt, null);
    }

    private static JsonNode parse(String json) throws Exception {
        return JSON.readTree(json);
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }

    // ---- messages and pages ----

    @Test
    void messageUsesThePlansSnakeCaseNamesAndLowerCaseEnumValues() throws Exception {
        JsonNode node = parse(WireFormat.message(userPause()));

        assertThat(fieldNames(node)).containsExactlyInAnyOrder("id", "workflow_id", "seq", "agent_execution_id",
                "message_type", "agent_type", "content", "action_type", "action_status", "created_at", "author",
                "metadata");
        assertThat(node.get("id").asLong()).isEqualTo(41);
        assertThat(node.get("workflow_id").asLong()).isEqualTo(7);
        assertThat(node.get("seq").asLong()).isEqualTo(12);
        assertThat(node.get("agent_execution_id").asLong()).isEqualTo(99);
        assertThat(node.get("message_type").asText()).isEqualTo("user");
        assertThat(node.get("agent_type").asText()).isEqualTo("plan");
        assertThat(node.get("content").asText()).isEqualTo("Please pause");
        assertThat(node.get("action_type").asText()).isEqualTo("pause");
        assertThat(node.get("action_status").asText()).isEqualTo("pending");
        assertThat(node.get("created_at").asText()).isEqualTo("2025-11-29T10:15:30.123Z");
        assertThat(node.get("author").asText()).isEqualTo("alice");
        assertThat(node.get("metadata").get("additionalContext").asText()).isEqualTo("requirements changed");
    }

    @Test
    void everyEnumValueRendersInLowerCase() throws Exception {
        for (MessageType type : MessageType.values()) {
            for (ActionType action : ActionType.values()) {
                for (ActionStatus status : ActionStatus.values()) {
                    Message message = new Message(1, 1, 1, null, type, null, "x", null, action, status, AT, null);
                    JsonNode node = parse(WireFormat.message(message));
                    assertThat(node.get("message_type").asText()).isEqualTo(type.name().toLowerCase());
                    assertThat(node.get("action_type").asText()).isEqualTo(action.name().toLowerCase());
                    assertThat(node.get("action_status").asText()).isEqualTo(status.name().toLowerCase());
                }
            }
        }
    }

    @Test
    void createdAtIsIsoUtcWithMillisecondsAlways() throws Exception {
        assertThat(parse(WireFormat.message(agentComment(1, Instant.parse("2025-11-29T10:15:30Z"))))
                .get("created_at").asText()).isEqualTo("2025-11-29T10:15:30.000Z");
        assertThat(parse(WireFormat.message(agentComment(1, Instant.parse("2025-11-29T10:15:30.120Z"))))
                .get("created_at").asText()).isEqualTo("2025-11-29T10:15:30.120Z");
        assertThat(parse(WireFormat.message(agentComment(1, Instant.parse("2025-11-29T23:59:59.999999999Z"))))
                .get("created_at").asText()).isEqualTo("2025-11-29T23:59:59.999Z");
        assertThat(parse(WireFormat.message(agentComment(1, Instant.EPOCH)))
                .get("created_at").asText()).isEqualTo("1970-01-01T00:00:00.000Z");
    }

    @Test
    void absentOptionalFieldsRenderAsJsonNull() throws Exception {
        JsonNode node = parse(WireFormat.message(agentComment(3, AT)));

        assertThat(node.get("agent_execution_id").isNull()).isTrue();
        assertThat(node.get("metadata").isNull()).isTrue();
        assertThat(node.get("author").isNull()).isTrue();
        assertThat(node.get("message_type").asText()).isEqualTo("agent");
        assertThat(node.get("action_status").asText()).isEqualTo("processed");
    }

    @Test
    void contentIsRenderedVerbatimIncludingQuotesNewlinesAndEmoji() throws Exception {
        String content = "Line \"one\"\nline two \\ 🚀 ünïcödé <script>";
        Message message = new Message(1, 1, 1, null, MessageType.USER, null, content, null, ActionType.COMMENT,
                ActionStatus.PENDING, AT, null);

        assertThat(parse(WireFormat.message(message)).get("content").asText()).isEqualTo(content);
    }

    @Test
    void pageRendersAsAnObjectWithMessagesInOrder() throws Exception {
        JsonNode page = parse(WireFormat.page(List.of(agentComment(1, AT), agentComment(2, AT), userPause())));

        assertThat(fieldNames(page)).containsExactly("messages");
        assertThat(page.get("messages").isArray()).isTrue();
        assertThat(page.get("messages")).hasSize(3);
        assertThat(page.get("messages").get(0).get("seq").asLong()).isEqualTo(1);
        assertThat(page.get("messages").get(1).get("seq").asLong()).isEqualTo(2);
        assertThat(page.get("messages").get(2)).isEqualTo(parse(WireFormat.message(userPause())));
    }

    @Test
    void emptyPageRendersAsAnEmptyArray() {
        assertThat(WireFormat.page(List.of())).isEqualTo("{\"messages\":[]}");
    }

    // ---- events ----

    static Stream<Arguments> events() {
        Message message = userPause();
        return Stream.of(
                Arguments.of(new ThreadEvent.MessageAdded(message), "message:new"),
                Arguments.of(new ThreadEvent.WorkflowPaused(7, 12, AT, "Please pause", "alice", STATE), "workflow:paused"),
                Arguments.of(new ThreadEvent.WorkflowUnpaused(7, 12, AT, "bob", STATE), "workflow:unpaused"),
                Arguments.of(new ThreadEvent.WorkflowCancelled(7, 12, AT, "wrong repo", "carol", STATE), "workflow:cancelled"),
                Arguments.of(new ThreadEvent.WorkflowRedirected(7, 12, AT, 1234, "Build a dropdown", "dave", STATE),
                        "workflow:redirected"),
                Arguments.of(new ThreadEvent.WorkflowCompleted(7, 12, AT, "all done", STATE), "workflow:completed"),
                Arguments.of(new ThreadEvent.WorkflowFailed(7, 12, AT, "build broke", STATE), "workflow:failed"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("events")
    void everyEventRendersWithItsNameWorkflowIdAndSeq(ThreadEvent event, String name) throws Exception {
        JsonNode node = parse(WireFormat.event(event));

        assertThat(event.name()).isEqualTo(name);
        assertThat(node.get("event").asText()).isEqualTo(name);
        assertThat(node.get("workflowId").isIntegralNumber()).isTrue();
        assertThat(node.get("workflowId").asLong()).isEqualTo(7);
        assertThat(node.get("seq").asLong()).isEqualTo(12);
        assertThat(node.get("created_at").asText()).isEqualTo("2025-11-29T10:15:30.123Z");
        // The map form, written by a host's own JSON library, is the same document.
        assertThat(JSON.writeValueAsString(WireFormat.eventMap(event))).isEqualTo(WireFormat.event(event));
    }

    @Test
    void messageNewCarriesTheMessageAsThePlansClientExpects() throws Exception {
        JsonNode node = parse(WireFormat.event(new ThreadEvent.MessageAdded(userPause())));

        assertThat(node.get("message")).isEqualTo(parse(WireFormat.message(userPause())));
    }

    @Test
    void stateEventsCarryTheirDetails() throws Exception {
        JsonNode paused = parse(WireFormat.event(new ThreadEvent.WorkflowPaused(7, 12, AT, "Please pause", "alice", STATE)));
        assertThat(paused.get("reason").asText()).isEqualTo("Please pause");
        assertThat(paused.get("author").asText()).isEqualTo("alice");

        JsonNode unpaused = parse(WireFormat.event(new ThreadEvent.WorkflowUnpaused(7, 12, AT, null, STATE)));
        assertThat(unpaused.get("author").isNull()).isTrue();

        JsonNode cancelled = parse(WireFormat.event(new ThreadEvent.WorkflowCancelled(7, 12, AT, "wrong repo", "carol", STATE)));
        assertThat(cancelled.get("reason").asText()).isEqualTo("wrong repo");
        assertThat(cancelled.get("author").asText()).isEqualTo("carol");

        JsonNode redirected = parse(WireFormat.event(
                new ThreadEvent.WorkflowRedirected(7, 12, AT, 1234, "Build a dropdown", "dave", STATE)));
        assertThat(redirected.get("newWorkflowId").asLong()).isEqualTo(1234);
        assertThat(redirected.get("newTaskDescription").asText()).isEqualTo("Build a dropdown");
        assertThat(redirected.get("author").asText()).isEqualTo("dave");

        JsonNode completed = parse(WireFormat.event(new ThreadEvent.WorkflowCompleted(7, 12, AT, "all done", STATE)));
        assertThat(completed.get("summary").asText()).isEqualTo("all done");

        JsonNode failed = parse(WireFormat.event(new ThreadEvent.WorkflowFailed(7, 12, AT, "build broke", STATE)));
        assertThat(failed.get("reason").asText()).isEqualTo("build broke");
    }

    // ---- parsing a send request ----

    @Test
    void parsesContentActionTypeMetadataAndAuthor() {
        SendRequest request = WireFormat.parseSendRequest("""
                {"content": "Please pause - I need to add something",
                 "action_type": "pause",
                 "metadata": {"additionalContext": "requirements", "skipToAgent": "code"},
                 "author": "alice"}
                """);

        assertThat(request.content()).isEqualTo("Please pause - I need to add something");
        assertThat(request.actionType()).isEqualTo(ActionType.PAUSE);
        assertThat(request.metadata()).containsExactly(
                Map.entry("additionalContext", "requirements"), Map.entry("skipToAgent", "code"));
        assertThat(request.author()).isEqualTo("alice");
        assertThat(request.idempotencyKey()).isNull();
    }

    @Test
    void parsesTheIdempotencyKeySoThatARetriedBodyIsStoredOnce() {
        SendRequest request = WireFormat.parseSendRequest("""
                {"content": "Use JWT cookies", "action_type": "instruction", "idempotency_key": "retry-7f3a"}
                """);

        assertThat(request.idempotencyKey()).isEqualTo("retry-7f3a");
        assertThat(request.actionType()).isEqualTo(ActionType.INSTRUCTION);
    }

    @Test
    void parsesEveryActionType() {
        for (ActionType action : ActionType.values()) {
            SendRequest request = WireFormat.parseSendRequest(
                    "{\"content\":\"x\",\"action_type\":\"" + action.name().toLowerCase() + "\"}");
            assertThat(request.actionType()).isEqualTo(action);
        }
    }

    @Test
    void onlyContentIsRequiredTheRestDefaults() {
        SendRequest request = WireFormat.parseSendRequest("{\"content\":\"Looks good\"}");

        assertThat(request.content()).isEqualTo("Looks good");
        assertThat(request.actionType()).isEqualTo(ActionType.COMMENT);
        assertThat(request.metadata()).isNull();
        assertThat(request.author()).isNull();
    }

    @Test
    void explicitNullsCountAsAbsent() {
        SendRequest request = WireFormat.parseSendRequest(
                "{\"content\":\"x\",\"action_type\":null,\"metadata\":null,\"author\":null}");

        assertThat(request.actionType()).isEqualTo(ActionType.COMMENT);
        assertThat(request.metadata()).isNull();
        assertThat(request.author()).isNull();
    }

    static Stream<Arguments> invalidBodies() {
        return Stream.of(
                Arguments.of("empty body", "", "body"),
                Arguments.of("blank body", "   ", "body"),
                Arguments.of("malformed JSON", "{\"content\": \"unterminated", "body"),
                Arguments.of("not JSON at all", "content=hello", "body"),
                Arguments.of("an array", "[{\"content\":\"x\"}]", "body"),
                Arguments.of("a string", "\"hello\"", "body"),
                Arguments.of("a number", "42", "body"),
                Arguments.of("null", "null", "body"),
                Arguments.of("missing content", "{\"action_type\":\"comment\"}", "content"),
                Arguments.of("null content", "{\"content\":null}", "content"),
                Arguments.of("numeric content", "{\"content\":5}", "content"),
                Arguments.of("object content", "{\"content\":{\"text\":\"x\"}}", "content"),
                Arguments.of("array content", "{\"content\":[\"x\"]}", "content"),
                Arguments.of("unknown action_type", "{\"content\":\"x\",\"action_type\":\"explode\"}", "action_type"),
                Arguments.of("numeric action_type", "{\"content\":\"x\",\"action_type\":1}", "action_type"),
                Arguments.of("array metadata", "{\"content\":\"x\",\"metadata\":[1,2]}", "metadata"),
                Arguments.of("string metadata", "{\"content\":\"x\",\"metadata\":\"{}\"}", "metadata"),
                Arguments.of("numeric metadata", "{\"content\":\"x\",\"metadata\":3}", "metadata"),
                Arguments.of("numeric author", "{\"content\":\"x\",\"author\":7}", "author"),
                Arguments.of("numeric idempotency_key", "{\"content\":\"x\",\"idempotency_key\":7}", "idempotency_key"),
                Arguments.of("idempotencyKey for idempotency_key", "{\"content\":\"x\",\"idempotencyKey\":\"k\"}",
                        "idempotencyKey"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidBodies")
    void rejectsAMalformedBodyNamingTheField(String description, String body, String field) {
        assertThatThrownBy(() -> WireFormat.parseSendRequest(body))
                .isInstanceOfSatisfying(InvalidMessageException.class, e -> {
                    assertThat(e.field()).isEqualTo(field);
                    assertThat(e.getMessage()).isNotBlank();
                });
    }

    /** A body that is an object followed by more text is not valid JSON; silently dropping the rest would lose a message. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("bodiesWithTrailingContent")
    void rejectsContentAfterTheJsonObjectAsBody(String description, String body) {
        assertThatThrownBy(() -> WireFormat.parseSendRequest(body))
                .isInstanceOfSatisfying(InvalidMessageException.class, e -> assertThat(e.field()).isEqualTo("body"));
    }

    static Stream<Arguments> bodiesWithTrailingContent() {
        return Stream.of(
                Arguments.of("trailing garbage after the object", "{\"content\":\"x\"} trailing"),
                Arguments.of("two objects", "{\"content\":\"x\"}{\"content\":\"y\",\"action_type\":\"cancel\"}"),
                Arguments.of("a stray closing brace", "{\"content\":\"x\"}}"));
    }

    @Test
    void unknownActionTypeMessageNamesTheAllowedValues() {
        assertThatThrownBy(() -> WireFormat.parseSendRequest("{\"content\":\"x\",\"action_type\":\"explode\"}"))
                .isInstanceOf(InvalidMessageException.class)
                .hasMessageContaining("explode")
                .hasMessageContaining("pause");
    }

    @Test
    void nullBodyIsRejectedAsBody() {
        assertThatThrownBy(() -> WireFormat.parseSendRequest(null))
                .isInstanceOfSatisfying(InvalidMessageException.class, e -> assertThat(e.field()).isEqualTo("body"));
    }

    @Test
    void nestedMetadataRoundTripsThroughParseAndRender() throws Exception {
        String metadataJson = """
                {"newTaskDescription": "Build a dropdown",
                 "nested": {"list": [1, "two", true, null, {"k": 1.5}], "empty": {}, "none": null},
                 "big": 12345678901,
                 "flag": false,
                 "text": "emoji 🚀 and \\"quotes\\""}
                """;
        SendRequest request = WireFormat.parseSendRequest(
                "{\"content\":\"x\",\"action_type\":\"redirect\",\"metadata\":" + metadataJson + "}");

        // Compared as JSON text: whether a store or a codec keeps 1 as Integer or Long does not matter.
        assertThat(request.metadata()).containsOnlyKeys("newTaskDescription", "nested", "big", "flag", "text");
        assertThat(JSON.writeValueAsString(request.metadata().get("nested")))
                .isEqualTo("{\"list\":[1,\"two\",true,null,{\"k\":1.5}],\"empty\":{},\"none\":null}");
        assertThat(request.metadata().get("nested")).isInstanceOf(Map.class);
        assertThat(((Map<?, ?>) request.metadata().get("nested")).get("list")).isInstanceOf(List.class);
        assertThat(((Number) request.metadata().get("big")).longValue()).isEqualTo(12345678901L);
        assertThat(request.metadata().get("flag")).isEqualTo(false);
        assertThat(request.metadata().get("text")).isEqualTo("emoji 🚀 and \"quotes\"");

        Message message = new Message(1, 7, 1, null, MessageType.USER, null, request.content(), request.metadata(),
                request.actionType(), ActionStatus.PENDING, AT, request.author());
        assertThat(message.newTaskDescription()).isEqualTo("Build a dropdown");
        JsonNode rendered = parse(WireFormat.message(message)).get("metadata");
        assertThat(rendered.toString()).isEqualTo(parse(metadataJson).toString());
        assertThat(fieldNames(rendered)).containsExactly("newTaskDescription", "nested", "big", "flag", "text");
    }

    // ---- strict input: nothing about a request is guessed ----

    static Stream<Arguments> duplicateKeys() {
        return Stream.of(
                Arguments.of("{\"content\":\"hi\",\"action_type\":\"comment\",\"action_type\":\"cancel\"}", "action_type"),
                Arguments.of("{\"content\":\"hi\",\"action_type\":\"cancel\",\"action_type\":\"comment\"}", "action_type"),
                Arguments.of("{\"content\":\"hi\",\"content\":\"stop\"}", "content"),
                Arguments.of("{\"content\":\"hi\",\"author\":\"ann\",\"author\":\"bob\"}", "author"),
                Arguments.of("{\"content\":\"hi\",\"metadata\":{},\"metadata\":{\"a\":1}}", "metadata"),
                Arguments.of("{\"content\":\"hi\",\"metadata\":{\"x\":1,\"x\":2}}", "metadata.x"),
                Arguments.of("{\"content\":\"hi\",\"metadata\":{\"a\":{\"b\":{\"c\":1,\"c\":1}}}}", "metadata.a.b.c"),
                Arguments.of("{\"content\":\"hi\",\"metadata\":{\"list\":[{},{\"y\":1,\"y\":2}]}}", "metadata.list[1].y"),
                Arguments.of("{\"content\":\"hi\",\"action_type\":\"redirect\",\"metadata\":"
                        + "{\"newTaskDescription\":\"a\",\"newTaskDescription\":\"b\"}}", "metadata.newTaskDescription"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("duplicateKeys")
    void aKeyTwiceAtAnyDepthIsRefusedNamingItsPath(String body, String path) {
        assertThatThrownBy(() -> WireFormat.parseSendRequest(body))
                .isInstanceOfSatisfying(InvalidMessageException.class, e -> {
                    assertThat(e.field()).isEqualTo(path);
                    assertThat(e.getMessage()).contains("'" + path + "'").contains("twice");
                });
    }

    @ParameterizedTest
    @ValueSource(strings = {"actionType", "message_type", "action_status", "id", "workflowId", "workflow_id", "seq",
            "created_at", "agent_type", "agent_execution_id", "Content", "content ", "metadata.x", ""})
    void aFieldASendRequestDoesNotHaveIsRefusedNamingIt(String field) {
        String body = "{\"content\":\"stop now\",\"" + field + "\":\"cancel\"}";
        assertThatThrownBy(() -> WireFormat.parseSendRequest(body))
                .isInstanceOfSatisfying(InvalidMessageException.class, e -> {
                    assertThat(e.field()).isEqualTo(field);
                    assertThat(e.getMessage()).contains("unknown field '" + field + "'")
                            .contains("the fields are content, action_type, metadata, author");
                });
    }

    @Test
    void theHostsMetadataKeysPassThroughWhateverTheirNames() {
        SendRequest request = WireFormat.parseSendRequest("""
                {"content":"x","metadata":{"actionType":"cancel","id":7,"action_type":"pause","metadata":{}}}
                """);

        assertThat(request.actionType()).isEqualTo(ActionType.COMMENT);
        assertThat(request.metadata()).containsOnlyKeys("actionType", "id", "action_type", "metadata");
    }

    @ParameterizedTest
    @ValueSource(strings = {"PAUSE", "Pause", "pau\u017Fe", "\u0131nstruction", "\u0130NSTRUCTION", "pause ", " pause",
            "cance\u006C\u0301", "\uFF50ause", "comment\u200B"})
    void anActionTypeMatchesTheLowerCaseWireNameExactly(String action) throws Exception {
        String body = "{\"content\":\"x\",\"action_type\":" + JSON.writeValueAsString(action) + "}";
        assertThatThrownBy(() -> WireFormat.parseSendRequest(body))
                .isInstanceOfSatisfying(InvalidMessageException.class, e -> {
                    assertThat(e.field()).isEqualTo("action_type");
                    assertThat(e.getMessage()).contains(action).contains("lower case, exactly");
                });
    }

    @Test
    void aSyntaxErrorSaysWhereItIs() {
        assertThatThrownBy(() -> WireFormat.parseSendRequest("{\"content\":\"x\",\n \"author\": ann}"))
                .isInstanceOfSatisfying(InvalidMessageException.class, e -> {
                    assertThat(e.field()).isEqualTo("body");
                    assertThat(e.getMessage()).contains("line 2, column");
                });
        assertThatThrownBy(() -> WireFormat.parseSendRequest("[1]"))
                .isInstanceOfSatisfying(InvalidMessageException.class,
                        e -> assertThat(e.getMessage()).endsWith("must be a JSON object, but was array"));
    }

    @Test
    void nestingDeeperThanJacksonAllowsIsRefusedAsBody() {
        String deep = "{\"content\":\"x\",\"metadata\":" + "{\"a\":".repeat(100_000) + "1" + "}".repeat(100_001);
        assertThatThrownBy(() -> WireFormat.parseSendRequest(deep))
                .isInstanceOfSatisfying(InvalidMessageException.class, e -> assertThat(e.field()).isEqualTo("body"));
    }

    @Test
    void renderingNothingIsRefusedNamingTheArgument() {
        assertThatThrownBy(() -> WireFormat.message(null)).isInstanceOfSatisfying(InvalidMessageException.class,
                e -> assertThat(e.field()).isEqualTo("message"));
        assertThatThrownBy(() -> WireFormat.page(null)).isInstanceOfSatisfying(InvalidMessageException.class,
                e -> assertThat(e.field()).isEqualTo("messages"));
        assertThatThrownBy(() -> WireFormat.page(java.util.Arrays.asList(userPause(), null)))
                .isInstanceOfSatisfying(InvalidMessageException.class, e -> assertThat(e.field()).isEqualTo("message"));
        assertThatThrownBy(() -> WireFormat.event(null)).isInstanceOfSatisfying(InvalidMessageException.class,
                e -> assertThat(e.field()).isEqualTo("event"));
        assertThatThrownBy(() -> WireFormat.state(null)).isInstanceOfSatisfying(InvalidMessageException.class,
                e -> assertThat(e.field()).isEqualTo("state"));
        assertThatThrownBy(() -> WireFormat.sendResult(null)).isInstanceOfSatisfying(InvalidMessageException.class,
                e -> assertThat(e.field()).isEqualTo("result"));
    }

    @Test
    void anyRequestBodyCanBeReadAsStrictlyAsASendRequest() {
        List<String> fields = List.of("task_description");
        assertThat(WireFormat.parseObject("{\"task_description\":\"Build it\"}", fields).get("task_description"))
                .isEqualTo("Build it");
        assertThatThrownBy(() -> WireFormat.parseObject("{\"task_description\":\"a\",\"task_description\":\"b\"}", fields))
                .isInstanceOfSatisfying(InvalidMessageException.class, e -> assertThat(e.field()).isEqualTo("task_description"));
        assertThatThrownBy(() -> WireFormat.parseObject("{\"taskDescription\":\"a\"}", fields))
                .isInstanceOfSatisfying(InvalidMessageException.class, e -> {
                    assertThat(e.field()).isEqualTo("taskDescription");
                    assertThat(e.getMessage()).contains("the fields are task_description");
                });
        assertThatThrownBy(() -> WireFormat.parseObject(" ", fields))
                .isInstanceOfSatisfying(InvalidMessageException.class, e -> assertThat(e.field()).isEqualTo("body"));
    }
}
