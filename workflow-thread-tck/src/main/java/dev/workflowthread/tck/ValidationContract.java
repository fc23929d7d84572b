package dev.workflowthread.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.workflowthread.ActionType;
import dev.workflowthread.AgentNarrator;
import dev.workflowthread.CheckpointGuard;
import dev.workflowthread.InvalidArgumentException.Reason;
import dev.workflowthread.InvalidMessageException;
import dev.workflowthread.Message;
import dev.workflowthread.MessageOptions;
import dev.workflowthread.MessageType;
import dev.workflowthread.SendRequest;
import dev.workflowthread.WorkflowMessages;
import dev.workflowthread.WorkflowNotFoundException;
import dev.workflowthread.WorkflowState;
import dev.workflowthread.WorkflowStatus;
import dev.workflowthread.json.WireFormat;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Bad input: a clear exception naming the field, and nothing stored. */
public abstract class ValidationContract extends ContractSupport {

    /** Constructor for a store's test class that extends this part of the contract. */
    public ValidationContract() {
    }
    private static final int LIMIT = 1_000;

    private WorkflowMessages messages;
    private long id;
    private WorkflowState before;

    @BeforeEach
    void startWorkflow() {
        messages = service(builder -> builder.maxContentBytes(LIMIT));
        id = startedWorkflow(messages);
        messages.addMessage(id, MessageType.AGENT, "Starting plan agent - Analyzing codebase", MessageOptions.NONE);
        before = messages.getState(id);
    }

    /** Runs {@code call}, expects it to be refused for {@code field}, and checks nothing was stored. */
    private InvalidMessageException assertRejected(String field, Executable call) {
        WorkflowState state = messages.getState(id);
        List<Message> thread = messages.getMessages(id);
        InvalidMessageException e = catchThrowableOfType(InvalidMessageException.class, () -> call.execute());
        assertThat(e).as("expected a rejection naming " + field).isNotNull();
        assertThat(e.field()).isEqualTo(field);
        assertThat(e.getMessage()).contains(field);
        assertThat(messages.getState(id)).isEqualTo(state);
        assertThat(messages.getMessages(id)).isEqualTo(thread);
        return e;
    }

    /** What a hostile client posts, as a host that follows the README hands it over. */
    private void assertBodyRejected(String field, String body) {
        assertRejected(field, () -> messages.send(id, WireFormat.parseSendRequest(body)));
        assertThat(messages.getState(id)).isEqualTo(before);
        assertThat(messages.getMessages(id)).hasSize(1);
    }

    @Test
    void aKeyTwiceInABodyIsRefusedNamingItsPathRatherThanTheLastOneWinning() {
        assertBodyRejected("action_type", "{\"content\":\"hi\",\"action_type\":\"comment\",\"action_type\":\"cancel\"}");
        assertBodyRejected("action_type", "{\"content\":\"hi\",\"action_type\":\"cancel\",\"action_type\":\"comment\"}");
        assertBodyRejected("content", "{\"content\":\"hi\",\"action_type\":\"pause\",\"content\":\"x\"}");
        assertBodyRejected("author", "{\"content\":\"hi\",\"author\":\"ann\",\"author\":\"root\"}");
        assertBodyRejected("metadata", "{\"content\":\"hi\",\"metadata\":{\"a\":1},\"metadata\":{\"b\":2}}");
        assertBodyRejected("metadata.x", "{\"content\":\"hi\",\"metadata\":{\"x\":1,\"x\":2}}");
        assertBodyRejected("metadata.newTaskDescription", "{\"content\":\"go\",\"action_type\":\"redirect\","
                + "\"metadata\":{\"newTaskDescription\":\"a\",\"newTaskDescription\":\"b\"}}");
        assertBodyRejected("metadata.files[0].path", "{\"content\":\"hi\",\"metadata\":{\"files\":[{\"path\":\"a\",\"path\":\"b\"}]}}");
    }

    @Test
    void aFieldASendRequestDoesNotHaveIsRefusedNamingIt() {
        for (String field : List.of("actionType", "message_type", "action_status", "id", "workflowId", "seq",
                "created_at", "agent_type")) {
            assertBodyRejected(field, "{\"content\":\"stop now\",\"" + field + "\":\"cancel\"}");
        }
        messages.send(id, WireFormat.parseSendRequest("{\"content\":\"hi\",\"metadata\":{\"actionType\":\"cancel\",\"id\":1}}"));
        assertThat(messages.getNewestMessages(id, 1).get(0).metadata()).containsOnlyKeys("actionType", "id");
        assertThat(messages.getState(id).isPauseRequested()).isFalse();
    }

    @Test
    void anActionTypeThatOnlyUnicodeCaseFoldingMakesAControlIsRefused() {
        assertBodyRejected("action_type", "{\"content\":\"hi\",\"action_type\":\"pau\u017Fe\"}");
        assertBodyRejected("action_type", "{\"content\":\"hi\",\"action_type\":\"\u0131nstruction\"}");
        assertBodyRejected("action_type", "{\"content\":\"hi\",\"action_type\":\"CANCEL\"}");
        assertThat(messages.getState(id).status()).isEqualTo(WorkflowStatus.RUNNING);
    }

    /** Something that is not JSON, whose type is no JSON value. */
    record Point(int x, int y) {
    }

    @Test
    void metadataValuesThatAreNotJsonAreRefusedNamingTheKeyNotAStackOverflow() {
        Map<String, Object> cyclicMap = new HashMap<>();
        cyclicMap.put("self", cyclicMap);
        List<Object> cyclicList = new ArrayList<>();
        cyclicList.add(cyclicList);
        Map<String, Object> notJson = new LinkedHashMap<>();
        notJson.put("bytes", new byte[] {1, 2, 3});
        notJson.put("buffer", ByteBuffer.wrap(new byte[] {1, 2, 3}));
        notJson.put("object", new Object());
        notJson.put("record", new Point(1, 2));
        notJson.put("optional", Optional.of("x"));
        notJson.put("ints", new int[] {1});
        notJson.put("char", 'c');
        notJson.put("instant", Instant.EPOCH);
        for (Map.Entry<String, Object> value : notJson.entrySet()) {
            Map<String, Object> metadata = Map.of("b", Map.of(value.getKey(), value.getValue()));
            String path = "metadata.b." + value.getKey();
            assertThat(assertRejected("metadata", () -> messages.send(id, new SendRequest("hi", ActionType.COMMENT,
                    metadata, null))).getMessage()).as(path).contains(path + " must be a JSON value");
            assertThat(assertRejected("metadata", () -> messages.addMessage(id, MessageType.AGENT, "hi",
                    MessageOptions.NONE.withMetadata(metadata))).getMessage()).contains(path);
            assertThat(assertRejected("metadata", () -> messages.narrator(id, "code", null).say("hi", metadata))
                    .getMessage()).contains(path);
        }
        assertThat(assertRejected("metadata", () -> messages.send(id, SendRequest.of(ActionType.COMMENT, "hi")
                .withMetadata(cyclicMap))).getMessage()).contains("metadata.self contains itself");
        assertThat(assertRejected("metadata", () -> messages.send(id, SendRequest.of(ActionType.COMMENT, "hi")
                .withMetadata(Map.of("list", cyclicList)))).getMessage()).contains("metadata.list[0] contains itself");
        // A Jackson tree is JSON, though.
        messages.send(id, SendRequest.of(ActionType.COMMENT, "hi").withMetadata(
                Map.of("tree", JsonNodeFactory.instance.objectNode().put("k", 1))));
        assertThat(messages.getNewestMessages(id, 1).get(0).metadata()).isEqualTo(Map.of("tree", Map.of("k", 1L)));
    }

    @Test
    void numbersJsonCannotHoldAreRefused() {
        for (Object number : List.of(Double.NaN, Double.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN)) {
            assertThat(assertRejected("metadata", () -> messages.send(id, SendRequest.of(ActionType.COMMENT, "hi")
                    .withMetadata(Map.of("n", number)))).getMessage()).contains("metadata.n must be a finite number");
        }
        assertRejected("metadata", () -> messages.send(id, WireFormat.parseSendRequest(
                "{\"content\":\"hi\",\"metadata\":{\"n\":1e400}}")));
    }

    @Test
    void nullArgumentsAreRefusedNamingThemNotANullPointerException() throws Exception {
        assertRejected("metadata.newTaskDescription", () -> messages.send(id, SendRequest.redirect("go", null)));
        assertRejected("request", () -> messages.send(id, null));
        assertRejected("message_type", () -> messages.addMessage(id, null, "hi", MessageOptions.NONE));
        assertRejected("listener", () -> messages.subscribe(id, 0, null));
        assertRejected("listener", () -> messages.subscribeAll(null));

        AgentNarrator narrator = messages.narrator(id, "code", 7L);
        assertRejected("path", () -> narrator.readingFile(null));
        assertRejected("path", () -> narrator.readingFile(" "));
        assertRejected("path", () -> narrator.writingFile(null, 10));
        assertRejected("bytes", () -> narrator.writingFile("a.ts", -1));
        assertRejected("purpose", () -> narrator.callingModel(null));
        assertRejected("passed", () -> narrator.testResult(-1, 0));
        assertRejected("failed", () -> narrator.testResult(3, -2));
        assertRejected("content", () -> narrator.say(null));

        CheckpointGuard guard = messages.guard(id);
        assertRejected("handedOver", () -> guard.acknowledge(null, "done"));
        assertRejected("agent_type", () -> guard.agentStarting(null, "working"));
        assertRejected("description", () -> guard.agentStarting("code", null));
        assertRejected("agent_type", () -> guard.agentCompleted(null, "done", null));
        assertRejected("summary", () -> guard.agentCompleted("code", null, null));
        assertRejected("agent_type", () -> guard.narrator(" ", null));
        messages.send(id, SendRequest.of(ActionType.INSTRUCTION, "use tabs"));
        Message instruction = guard.check().instructions().get(0);
        assertRejected("reply", () -> guard.acknowledge(instruction, null));
        assertRejected("reply", () -> guard.acknowledge(instruction, "  "));
        guard.acknowledge(instruction, "Acknowledged user context - use tabs");
    }

    @Test
    void aReplyIsOnlyToAPersonsMessageOfTheWorkflowNotToOneMadeUp() throws InterruptedException {
        // Found by a hostile client: a Message made up in code (an id nobody stored), or an agent's
        // own comment, was "acknowledged" with a reply pointing at it.
        CheckpointGuard guard = messages.guard(id);
        Message agentComment = messages.getMessages(id).get(0);
        messages.send(id, SendRequest.of(ActionType.COMMENT, "fyi"));
        Message comment = guard.check().messages().get(0);
        Message madeUp = new Message(987_654_321L, id, comment.seq() + 100, null, MessageType.USER, null, "made up",
                null, ActionType.INSTRUCTION, dev.workflowthread.ActionStatus.PENDING, comment.createdAt(), "mallory");

        assertRejected("handedOver", () -> guard.acknowledge(agentComment, "noted"));
        assertRejected("handedOver", () -> guard.acknowledge(madeUp, "noted"));
        guard.acknowledge(comment, "Noted");
        assertThat(messages.getNewestMessages(id, 1).get(0).metadata()).containsEntry("inReplyTo", comment.id());
    }

    @Test
    void blankContentIsRejected() {
        assertRejected("content", () -> messages.send(id, SendRequest.of(ActionType.COMMENT, "   \n\t")));
        assertRejected("content", () -> messages.send(id, SendRequest.of(ActionType.PAUSE, "")));
        assertRejected("content", () -> messages.addMessage(id, MessageType.AGENT, " ", MessageOptions.NONE));
    }

    @Test
    void nullContentIsRejected() {
        assertRejected("content", () -> messages.send(id, SendRequest.of(ActionType.INSTRUCTION, null)));
        assertRejected("content", () -> messages.addMessage(id, MessageType.SYSTEM, null, MessageOptions.NONE));
    }

    @Test
    void contentOverTheLimitInUtf8BytesIsRejectedAndAtTheLimitIsAccepted() {
        String emoji = "🚀"; // 4 bytes of UTF-8, 2 chars
        String tooBig = emoji.repeat(LIMIT / 4) + "x";
        assertThat(tooBig.length()).isLessThan(LIMIT);
        assertRejected("content", () -> messages.send(id, SendRequest.of(ActionType.COMMENT, tooBig)));
        InvalidMessageException e = catchThrowableOfType(InvalidMessageException.class,
                () -> messages.send(id, SendRequest.of(ActionType.COMMENT, tooBig)));
        assertThat(e.getMessage()).contains(String.valueOf(LIMIT)).contains(String.valueOf(LIMIT + 1));

        String exactly = emoji.repeat(LIMIT / 4);
        assertThat(messages.send(id, SendRequest.of(ActionType.COMMENT, exactly)).ignored()).isFalse();
        assertThat(messages.getNewestMessages(id, 1).get(0).content()).isEqualTo(exactly);
    }

    @Test
    void textNoDatabaseCanStoreVerbatimIsRejected() {
        // PostgreSQL's text and JSON types cannot hold U+0000; an unpaired surrogate has no UTF-8 form.
        assertRejected("content", () -> messages.send(id, SendRequest.of(ActionType.COMMENT, "nul \u0000 inside")));
        assertRejected("content", () -> messages.addMessage(id, MessageType.AGENT, "half \uD83D emoji", MessageOptions.NONE));
        assertRejected("author", () -> messages.send(id,
                new SendRequest("hello", ActionType.COMMENT, null, "ann\u0000")));
        assertRejected("metadata", () -> messages.send(id,
                new SendRequest("hello", ActionType.COMMENT, Map.of("note", "a\u0000b"), null)));
        assertRejected("metadata", () -> messages.send(id,
                new SendRequest("hello", ActionType.COMMENT, Map.of("k\u0000", "v"), null)));
        assertRejected("metadata", () -> messages.send(id,
                new SendRequest("hello", ActionType.COMMENT, Map.of("list", java.util.List.of("\uDC00")), null)));

        String wellFormed = "emoji 🚀 and CJK 漢字 and combining é";
        messages.send(id, SendRequest.of(ActionType.COMMENT, wellFormed));
        assertThat(messages.getNewestMessages(id, 1).get(0).content()).isEqualTo(wellFormed);
    }

    @Test
    void metadataNestedTooDeepIsRejectedNotAStackOverflow() {
        Map<String, Object> deep = new HashMap<>();
        Map<String, Object> inner = deep;
        for (int i = 0; i < 5_000; i++) {
            Map<String, Object> next = new HashMap<>();
            inner.put("level", i % 2 == 0 ? next : java.util.List.of(next));
            inner = next;
        }
        assertRejected("metadata", () -> messages.send(id, new SendRequest("hello", ActionType.COMMENT, deep, null)));
        InvalidMessageException e = catchThrowableOfType(InvalidMessageException.class,
                () -> messages.send(id, new SendRequest("hello", ActionType.COMMENT, deep, null)));
        assertThat(e.getMessage()).contains("nest deeper than");
    }

    @Test
    void anAuthorAndAnAgentTypeAreMeasuredInCharactersNotUtf16Units() {
        String emoji = "👩‍💻".substring(0, 2); // one character, two UTF-16 units
        messages.send(id, new SendRequest("hello", ActionType.COMMENT, null, emoji.repeat(255)));
        assertThat(messages.getNewestMessages(id, 1).get(0).author()).isEqualTo(emoji.repeat(255));
        messages.addMessage(id, MessageType.AGENT, "hello", MessageOptions.agent(emoji.repeat(50), null));
        assertThat(messages.getNewestMessages(id, 1).get(0).agentType()).isEqualTo(emoji.repeat(50));
        before = messages.getState(id);
        int stored = messages.getMessages(id).size();
        InvalidMessageException e = catchThrowableOfType(InvalidMessageException.class,
                () -> messages.send(id, new SendRequest("hello", ActionType.COMMENT, null, emoji.repeat(256))));
        assertThat(e.field()).isEqualTo("author");
        assertThat(e.getMessage()).contains("but was 256");
        assertThat(messages.getMessages(id)).hasSize(stored);
    }

    @Test
    void anUnknownActionTypeFromTheWireIsRejected() {
        assertRejected("action_type", () -> WireFormat.parseSendRequest("{\"content\":\"hi\",\"action_type\":\"explode\"}"));
        InvalidMessageException e = catchThrowableOfType(InvalidMessageException.class,
                () -> WireFormat.parseSendRequest("{\"content\":\"hi\",\"action_type\":\"explode\"}"));
        assertThat(e.getMessage()).contains("explode").contains("pause");
    }

    @Test
    void metadataThatIsNotAJsonObjectIsRejected() {
        assertRejected("metadata", () -> WireFormat.parseSendRequest("{\"content\":\"hi\",\"metadata\":[1,2]}"));
        assertRejected("metadata", () -> WireFormat.parseSendRequest("{\"content\":\"hi\",\"metadata\":\"text\"}"));
        Map<String, Object> notJson = new HashMap<>();
        notJson.put("ratio", Double.NaN);
        assertRejected("metadata", () -> messages.send(id, SendRequest.of(ActionType.COMMENT, "hi").withMetadata(notJson)));
    }

    @Test
    void metadataOverTheLimitIsRejected() {
        Map<String, Object> big = Map.of("additionalContext", "y".repeat(LIMIT));
        assertRejected("metadata", () -> messages.send(id, SendRequest.of(ActionType.COMMENT, "hi").withMetadata(big)));
    }

    @Test
    void aRedirectWithoutANewTaskIsRejected() {
        String field = "metadata.newTaskDescription";
        assertRejected(field, () -> messages.send(id, SendRequest.of(ActionType.REDIRECT, "REDIRECT: something else")));
        assertRejected(field, () -> messages.send(id, SendRequest.redirect("REDIRECT: x", "  ")));
        assertRejected(field, () -> messages.send(id, SendRequest.of(ActionType.REDIRECT, "REDIRECT: x")
                .withMetadata(Map.of("newTaskDescription", 42))));
        assertRejected(field, () -> messages.send(id, WireFormat.parseSendRequest(
                "{\"content\":\"REDIRECT: x\",\"action_type\":\"redirect\",\"metadata\":{\"skipToAgent\":\"code\"}}")));
    }

    @Test
    void anOverlongAgentTypeOrAuthorIsRejected() {
        assertRejected("agent_type", () -> messages.addMessage(id, MessageType.AGENT, "hi",
                MessageOptions.agent("a".repeat(51), null)));
        assertRejected("author", () -> messages.send(id, SendRequest.of(ActionType.COMMENT, "hi").withAuthor("b".repeat(256))));
    }

    @Test
    void aMalformedBodyOrMissingContentFromTheWireIsRejected() {
        assertRejected("body", () -> WireFormat.parseSendRequest("{\"content\": \"unterminated"));
        assertRejected("body", () -> WireFormat.parseSendRequest("[\"content\"]"));
        assertRejected("content", () -> WireFormat.parseSendRequest("{\"action_type\":\"pause\"}"));
        assertRejected("content", () -> WireFormat.parseSendRequest("{\"content\":17}"));
    }

    @Test
    void eachRefusalSaysWhatKindOfMistakeItIsSoAHostNeedNotReadTheMessage() {
        Map<String, Object> deep = new HashMap<>();
        Map<String, Object> inner = deep;
        for (int i = 0; i < 100; i++) {
            Map<String, Object> next = new HashMap<>();
            inner.put("level", next);
            inner = next;
        }
        Map<Reason, List<Executable>> refusals = new LinkedHashMap<>();
        refusals.put(Reason.MISSING, List.of(
                () -> messages.send(id, SendRequest.of(ActionType.INSTRUCTION, null)),
                () -> WireFormat.parseSendRequest("{\"action_type\":\"pause\"}"),
                () -> messages.send(id, SendRequest.redirect("go", null))));
        refusals.put(Reason.BLANK, List.of(
                () -> messages.send(id, SendRequest.of(ActionType.COMMENT, "  ")),
                () -> messages.send(id, SendRequest.of(ActionType.COMMENT, "hi").withIdempotencyKey(""))));
        refusals.put(Reason.TOO_LARGE, List.of(
                () -> messages.send(id, SendRequest.of(ActionType.COMMENT, "x".repeat(LIMIT + 1))),
                () -> messages.send(id, SendRequest.of(ActionType.COMMENT, "hi")
                        .withMetadata(Map.of("a", "y".repeat(LIMIT)))),
                () -> messages.send(id, new SendRequest("hi", ActionType.COMMENT, null, "a".repeat(256)))));
        refusals.put(Reason.TOO_DEEP, List.of(
                () -> messages.send(id, new SendRequest("hello", ActionType.COMMENT, deep, null))));
        refusals.put(Reason.WRONG_TYPE, List.of(
                () -> WireFormat.parseSendRequest("{\"content\":17}"),
                () -> WireFormat.parseSendRequest("{\"content\":\"hi\",\"metadata\":[1]}"),
                () -> WireFormat.parseSendRequest("[1]")));
        refusals.put(Reason.UNKNOWN_VALUE, List.of(
                () -> WireFormat.parseSendRequest("{\"content\":\"hi\",\"action_type\":\"explode\"}")));
        refusals.put(Reason.UNKNOWN_FIELD, List.of(
                () -> WireFormat.parseSendRequest("{\"content\":\"hi\",\"actionType\":\"pause\"}")));
        refusals.put(Reason.DUPLICATE_KEY, List.of(
                () -> WireFormat.parseSendRequest("{\"content\":\"a\",\"content\":\"b\"}")));
        refusals.put(Reason.MALFORMED, List.of(
                () -> WireFormat.parseSendRequest("{\"content\":"),
                () -> messages.send(id, SendRequest.of(ActionType.COMMENT, "nul \u0000 inside")),
                () -> messages.send(id, SendRequest.of(ActionType.COMMENT, "hi").withMetadata(Map.of("n", Double.NaN))),
                () -> messages.send(id, SendRequest.of(ActionType.COMMENT, "hi").withIdempotencyKey("has space"))));
        refusals.put(Reason.OUT_OF_RANGE, List.of(
                () -> messages.getMessages(id, 0, 0),
                () -> messages.narrator(id, "code", null).writingFile("a.ts", -1)));
        refusals.put(Reason.NOT_APPLICABLE, List.of(
                () -> messages.addMessage(id, MessageType.AGENT, "hi", MessageOptions.NONE.withActionType(ActionType.PAUSE)),
                () -> messages.markMessageProcessed(messages.getMessages(id).get(0).id())));
        refusals.forEach((reason, calls) -> calls.forEach(call -> {
            InvalidMessageException e = catchThrowableOfType(InvalidMessageException.class, call::execute);
            assertThat(e).as("refused as %s", reason).isNotNull();
            assertThat(e.reason()).as("%s", e.getMessage()).isEqualTo(reason);
        }));
        assertThat(messages.getState(id)).isEqualTo(before);
    }

    @Test
    void aPageLimitOutOfRangeIsRejected() {
        assertRejected("limit", () -> messages.getMessages(id, 0, 0));
        assertRejected("limit", () -> messages.getMessages(id, 0, WorkflowMessages.MAX_PAGE_SIZE + 1));
        assertRejected("after", () -> messages.getMessages(id, -1, 10));
        assertRejected("limit", () -> messages.getNewestMessages(id, -5));
    }

    @Test
    void anUnknownWorkflowIsRejectedAndNothingIsCreated() {
        long unknown = newWorkflowId();
        WorkflowNotFoundException e = catchThrowableOfType(WorkflowNotFoundException.class,
                () -> messages.send(unknown, SendRequest.of(ActionType.PAUSE, "pause")));
        assertThat(e.workflowId()).isEqualTo(unknown);
        assertThat(e.getMessage()).contains(String.valueOf(unknown)).contains("start");
        assertThat(store.findState(unknown)).isEmpty();
        assertRejected("workflowId", () -> messages.start(0));
        assertRejected("workflowId", () -> messages.send(-3, SendRequest.of(ActionType.COMMENT, "x")));
    }
}
