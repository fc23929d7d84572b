package dev.workflowthread.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.workflowthread.Message;
import dev.workflowthread.SendPolicy;
import dev.workflowthread.StorageException;
import dev.workflowthread.WorkflowMessages;
import dev.workflowthread.WorkflowThreadConfig;
import dev.workflowthread.inmemory.InMemoryThreadStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The REST handler driven directly: every documented status, the refusals storing nothing, the principal as author. */
class ThreadRestHandlerTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The host: workflows by id, their starter; at most {@link #maxRunning} created. */
    private final Map<Long, String> starters = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private volatile boolean storeDown;
    private int maxRunning = 10;
    private final WorkflowMessages messages = WorkflowMessages.create(InMemoryThreadStore.create(),
            WorkflowThreadConfig.builder()
                    // only the starter may steer, as the demo's policy
                    .sendPolicy((state, request) -> !request.actionType().isControl()
                            || starters.get(state.workflowId()).equals(request.author())
                            ? SendPolicy.Decision.allow() : SendPolicy.Decision.deny("only the starter may steer"))
                    .build());
    private final WorkflowHost host = new WorkflowHost() {
        @Override
        public Optional<Map<String, Object>> find(long workflowId) {
            if (storeDown) {
                throw new StorageException("find", new IllegalStateException("down"));
            }
            String starter = starters.get(workflowId);
            return starter == null ? Optional.empty() : Optional.of(Map.of("started_by", starter));
        }

        @Override
        public List<Long> newest(int limit) {
            return starters.keySet().stream().sorted((a, b) -> Long.compare(b, a)).limit(limit).toList();
        }

        @Override
        public long create(String taskDescription, String startedBy) {
            if (starters.size() >= maxRunning) {
                throw WebRefusal.tooMany("at most " + maxRunning + " run at once");
            }
            long id = ids.incrementAndGet();
            starters.put(id, startedBy);
            messages.start(id);
            return id;
        }
    };
    private final ThreadRestHandler rest = ThreadRestHandler.builder(messages, host).build();

    @AfterEach
    void close() {
        messages.close();
    }

    private WebResponse call(String method, String pathAndQuery, String body, String... headers) {
        String[] parts = pathAndQuery.split("\\?", 2);
        WebRequest.Builder request = WebRequest.builder(method, parts[0]).query(parts.length > 1 ? parts[1] : null)
                .header("Host", "localhost:8080").localPort(8080).principal("alice");
        if (body != null) {
            request.body(body.getBytes(StandardCharsets.UTF_8)).header("Content-Type", "application/json");
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return rest.handle(request.build());
    }

    private static JsonNode json(WebResponse response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError(response.bodyText(), e);
        }
    }

    private static void assertRefused(WebResponse response, int status, String field) {
        assertThat(response.status()).as(response.bodyText()).isEqualTo(status);
        assertThat(response.headers().get("Content-Type")).isEqualTo(WebResponse.JSON);
        JsonNode error = json(response);
        assertThat(error.get("status").asInt()).isEqualTo(status);
        assertThat(error.get("error").asText()).isNotBlank();
        if (field == null) {
            assertThat(error.get("field").isNull()).as(response.bodyText()).isTrue();
        } else {
            assertThat(error.get("field").asText()).as(response.bodyText()).isEqualTo(field);
        }
    }

    private long created() {
        WebResponse created = call("POST", "/api/workflows", "{\"task_description\":\"Add a settings page\"}");
        assertThat(created.status()).as(created.bodyText()).isEqualTo(201);
        return json(created).get("workflow_id").asLong();
    }

    @Test
    void createsListsReadsAndSendsAsThePrincipal() {
        long id = created();
        assertThat(call("GET", "/api/workflows/" + id, null).bodyText()).contains("\"status\":\"running\"")
                .contains("\"started_by\":\"alice\"");
        WebResponse sent = call("POST", "/api/workflows/" + id + "/messages",
                "{\"content\":\"Use dark mode\",\"action_type\":\"instruction\"}");
        assertThat(sent.status()).isEqualTo(201);
        assertThat(json(sent).get("actionTaken").asText()).isEqualTo("instruction_queued");
        assertThat(messages.getMessages(id)).last().extracting(Message::author).isEqualTo("alice");

        JsonNode list = json(call("GET", "/api/workflows?limit=5", null));
        assertThat(list.get("workflows").get(0).get("workflow_id").asLong()).isEqualTo(id);
        assertThat(list.get("workflows").get(0).get("last_message_at").asText())
                .isEqualTo(json(call("GET", "/api/workflows/" + id + "/messages?after=0", null))
                        .get("messages").get(0).get("created_at").asText());
        assertThat(json(call("GET", "/api/session", null)).get("visitor").asText()).isEqualTo("alice");

        WebResponse paused = call("POST", "/api/workflows/" + id + "/pause", null);
        assertThat(paused.status()).isEqualTo(202);
        assertThat(call("POST", "/api/workflows/" + id + "/pause", "").status()).as("already requested").isEqualTo(200);
        assertThat(call("DELETE", "/api/workflows/" + id, "{\"content\":\"not needed\"}").status()).isEqualTo(202);
    }

    @Test
    void withoutAPrincipalTheBodysAuthorIsTaken() {
        starters.put(9L, "bob");
        messages.start(9);
        WebResponse sent = rest.handle(WebRequest.builder("POST", "/api/workflows/9/messages")
                .header("Content-Type", "application/json")
                .body("{\"content\":\"hi\",\"author\":\"carol\"}".getBytes(StandardCharsets.UTF_8)).build());
        assertThat(sent.status()).isEqualTo(201);
        assertThat(messages.getMessages(9)).last().extracting(Message::author).isEqualTo("carol");
    }

    @Test
    void theMountPrefixIsConfigurable() {
        ThreadRestHandler mounted = ThreadRestHandler.builder(messages, host).prefix("/threads/api/").build();
        starters.put(3L, "alice");
        messages.start(3);
        assertThat(mounted.handle(WebRequest.builder("GET", "/threads/api/workflows/3").build()).status()).isEqualTo(200);
        assertRefused(mounted.handle(WebRequest.builder("GET", "/api/workflows/3").build()), 404, null);
    }

    @Test
    void steeringMetadataPassesThroughAndABadDeliveryIsRefusedNamingIt() {
        long id = created();
        String path = "/api/workflows/" + id + "/messages";
        WebResponse urgent = call("POST", path,
                "{\"content\":\"Stop and use PrimaryButton\",\"action_type\":\"instruction\",\"metadata\":{\"delivery\":\"interrupt\"}}");
        assertThat(urgent.status()).as(urgent.bodyText()).isEqualTo(201);
        assertThat(messages.getMessages(id)).last().extracting(m -> m.metadata().get(Message.DELIVERY)).isEqualTo("interrupt");

        // An agent's question, answered over REST with the JSON the page posts.
        Message question = messages.addMessage(id, dev.workflowthread.MessageType.AGENT, "Which component name should I use?",
                dev.workflowthread.MessageOptions.agent("code", null)
                        .withMetadata(Map.of(Message.QUESTION, true, Message.OPTIONS, List.of("Button", "PrimaryButton"))));
        WebResponse answer = call("POST", path, "{\"content\":\"PrimaryButton\",\"action_type\":\"comment\",\"metadata\":"
                + "{\"inReplyTo\":" + question.id() + ",\"choice\":\"PrimaryButton\"}}");
        assertThat(answer.status()).as(answer.bodyText()).isEqualTo(201);
        Message stored = messages.getMessages(id).stream().filter(m -> m.id() == json(answer).get("messageId").asLong())
                .findFirst().orElseThrow();
        assertThat(stored.inReplyTo()).isEqualTo(question.id());
        assertThat(stored.metadata()).containsEntry(Message.CHOICE, "PrimaryButton");

        int before = messages.getMessages(id).size();
        assertRefused(call("POST", path, "{\"content\":\"now\",\"action_type\":\"instruction\",\"metadata\":{\"delivery\":\"asap\"}}"),
                400, "metadata.delivery");
        assertRefused(call("POST", path, "{\"content\":\"now\",\"action_type\":\"pause\",\"metadata\":{\"delivery\":\"interrupt\"}}"),
                400, "metadata.delivery");
        assertRefused(call("POST", path, "{\"content\":\"skip\",\"action_type\":\"comment\",\"metadata\":{\"skipToAgent\":\"review\"}}"),
                400, "metadata.skipToAgent");
        assertThat(messages.getMessages(id)).hasSize(before);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "not JSON|{\"content\":|body",
        "not an object|[1]|body",
        "a key twice|{\"content\":\"a\",\"content\":\"b\"}|content",
        "an unknown field|{\"content\":\"a\",\"actionType\":\"pause\"}|actionType",
        "a blank content|{\"content\":\"  \"}|content",
        "an unknown action|{\"content\":\"a\",\"action_type\":\"jump\"}|action_type",
        "an author, with a principal|{\"content\":\"a\",\"author\":\"mallory\"}|author",
        "a redirect without its task|{\"content\":\"a\",\"action_type\":\"redirect\"}|metadata.newTaskDescription",
        "metadata not an object|{\"content\":\"a\",\"metadata\":[1]}|metadata"})
    void refusesABadSendWith400NamingTheFieldAndStoresNothing(String what, String body, String field) {
        long id = created();
        int before = messages.getMessages(id).size();
        assertRefused(call("POST", "/api/workflows/" + id + "/messages", body), 400, field);
        assertThat(messages.getMessages(id)).as(what).hasSize(before);
    }

    @Test
    void refusesProtocolFaultsAndStoresNothing() {
        long id = created();
        int before = messages.getMessages(id).size();
        String path = "/api/workflows/" + id + "/messages";
        String comment = "{\"content\":\"hello\"}";
        assertRefused(call("POST", path, comment, "X-HTTP-Method-Override", "DELETE"), 400, "X-HTTP-Method-Override");
        assertRefused(call("POST", path, comment, "Origin", "http://evil.example"), 403, "Origin");
        assertRefused(call("POST", path, comment, "Origin", "https://localhost:8080"), 403, "Origin");
        assertRefused(call("POST", path, comment, "Origin", "http://localhost:8080", "Origin", "http://localhost:8080"),
                403, "Origin");
        assertRefused(rest.handle(WebRequest.builder("POST", path).header("Content-Type", "text/plain")
                .body(comment.getBytes(StandardCharsets.UTF_8)).build()), 415, "Content-Type");
        assertRefused(rest.handle(WebRequest.builder("POST", path).header("Content-Type", "application/json; charset=latin1")
                .body(comment.getBytes(StandardCharsets.UTF_8)).build()), 415, "Content-Type");
        assertRefused(rest.handle(WebRequest.builder("POST", path).header("Content-Type", "application/json")
                .body(new byte[] {'{', '"', 'c', (byte) 0xC0, (byte) 0xAF, '"', '}'}).build()), 400, "body");
        assertRefused(rest.handle(WebRequest.builder("POST", path).header("Content-Type", "application/json")
                .body(new byte[ThreadRestHandler.DEFAULT_MAX_BODY_BYTES + 1]).build()), 413, "body");
        assertRefused(call("POST", path, "{\"content\":\"" + "x".repeat(70_000) + "\"}"), 413, "content");
        assertThat(messages.getMessages(id)).hasSize(before);

        assertThat(call("POST", path, comment, "Origin", "http://localhost:8080").status()).as("its own page").isEqualTo(201);
    }

    @Test
    void answersTheStatusesOfIdsEndpointsAndMethods() {
        long id = created();
        assertRefused(call("GET", "/api/workflows/١", null), 400, "id");
        assertRefused(call("GET", "/api/workflows/0", null), 400, "id");
        assertRefused(call("GET", "/api/workflows/" + id + "/messages?after=x", null), 400, "after");
        assertRefused(call("GET", "/api/workflows/" + id + "/messages?limit=0", null), 400, "limit");
        assertRefused(call("GET", "/api/workflows/" + (id + 100), null), 404, "id");
        assertRefused(call("GET", "/api/nothing", null), 404, null);
        WebResponse put = call("PUT", "/api/workflows/" + id, "{}");
        assertRefused(put, 405, null);
        assertThat(put.headers().get("Allow")).isEqualTo("GET, DELETE");
        assertRefused(call("POST", "/api/workflows", "{\"task_description\":\"" + "x".repeat(2001) + "\"}"), 413,
                "task_description");
    }

    @Test
    void aControlActionOnAFinishedWorkflowIs409AndStoresNothing() {
        long id = created();
        messages.complete(id, "done");
        int before = messages.getMessages(id).size();
        assertRefused(call("POST", "/api/workflows/" + id + "/pause", null), 409, null);
        assertRefused(call("POST", "/api/workflows/" + id + "/messages", "{\"content\":\"x\",\"action_type\":\"cancel\"}"),
                409, "action_type");
        assertThat(messages.getMessages(id)).hasSize(before);
        assertThat(call("POST", "/api/workflows/" + id + "/messages", "{\"content\":\"nice\"}").status())
                .as("a comment is still welcome").isEqualTo(201);
    }

    @Test
    void aSendThePolicyRefusesIs403AndStoresNothing() {
        starters.put(5L, "bob");
        messages.start(5);
        int before = messages.getMessages(5).size();
        assertRefused(call("POST", "/api/workflows/5/pause", null), 403, null);
        assertRefused(call("POST", "/api/workflows/5/messages", "{\"content\":\"x\",\"action_type\":\"cancel\"}"), 403,
                "action_type");
        assertThat(messages.getMessages(5)).hasSize(before);
    }

    @Test
    void theHostsRefusalAndAFailingStoreAreAnsweredAsJson() {
        maxRunning = 1;
        created();
        assertRefused(call("POST", "/api/workflows", "{\"task_description\":\"one more\"}"), 429, null);
        storeDown = true;
        assertRefused(call("GET", "/api/workflows/1", null), 503, null);
        WorkflowHost findOnly = id -> Optional.empty();
        assertRefused(ThreadRestHandler.builder(messages, findOnly).build()
                .handle(WebRequest.builder("GET", "/api/workflows").build()), 405, null);
    }
}
