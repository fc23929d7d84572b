package dev.workflowthread.examples.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The demo's REST API (workflow-thread-web's) over real HTTP: its shapes, the flows, and every refusal with the field it names. */
class RestApiTest {
    private static TestServer server;
    /** A workflow cancelled at once: no agent writes into it, so a refused request must leave it as it is. */
    private static long finished;

    @BeforeAll
    static void start() {
        server = TestServer.start(TestServer.TEST_PACE);
        finished = server.createWorkflow("A workflow that is cancelled at once");
        assertThat(server.delete("/api/workflows/" + finished).status()).isEqualTo(202);
        server.awaitStatus(finished, "cancelled");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void createsAWorkflowFromATaskAndReadsItBack() {
        TestServer.Response created = server.post("/api/workflows", "{\"task_description\":\"Add a settings page to the dashboard\"}");

        assertThat(created.status()).isEqualTo(201);
        long id = created.json().get("workflow_id").asLong();
        assertThat(created.raw().headers().firstValue("Location")).hasValue("/api/workflows/" + id);
        assertThat(created.raw().headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        JsonNode workflow = server.workflow(id);
        assertThat(workflow.get("task_description").asText()).isEqualTo("Add a settings page to the dashboard");
        assertThat(workflow.get("status").asText()).isIn("running", "completed");
        assertThat(workflow.has("is_paused")).isTrue();
        assertThat(workflow.get("redirected_from").isNull()).isTrue();
        assertThat(server.get("/api/workflows").json().get("workflows").get(0).get("workflow_id").asLong()).isEqualTo(id);

        JsonNode first = server.awaitMessage(id, "Starting plan agent - ");
        assertThat(first.get("message_type").asText()).isEqualTo("agent");
        assertThat(first.get("agent_type").asText()).isEqualTo("plan");
        assertThat(first.get("seq").asLong()).isEqualTo(1);
        assertThat(first.fieldNames()).toIterable().contains("id", "workflow_id", "action_type", "action_status",
                "created_at", "metadata");
    }

    @Test
    void pagesTheThreadWithAfterAndLimit() {
        long id = server.createWorkflow("Add a profile page");
        await().atMost(TestServer.WAIT).until(() -> server.messages(id).size() >= 12);

        JsonNode firstPage = server.get("/api/workflows/" + id + "/messages?limit=5").json().get("messages");
        JsonNode secondPage = server.get("/api/workflows/" + id + "/messages?after=5&limit=5").json().get("messages");

        assertThat(firstPage).extracting(m -> m.get("seq").asLong()).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(secondPage).extracting(m -> m.get("seq").asLong()).containsExactly(6L, 7L, 8L, 9L, 10L);
        assertThat(server.get("/api/workflows/" + id + "/messages").json().get("messages").size())
                .as("the default page").isBetween(12, ApiRoutes.DEFAULT_PAGE);
    }

    @Test
    void pausesTakesAnInstructionResumesAndCancels() {
        long id = server.createWorkflow("Add a settings page to the dashboard");
        server.awaitMessage(id, "Reading file: package.json");

        TestServer.Response pause = server.post("/api/workflows/" + id + "/pause", "{\"content\":\"Wait for me\"}");
        assertThat(pause.status()).isEqualTo(202);
        assertThat(pause.json().get("actionTaken").asText()).isEqualTo("pause_requested");
        assertThat(pause.json().get("success").asBoolean()).isTrue();
        server.awaitStatus(id, "paused");
        assertThat(server.workflow(id).get("is_paused").asBoolean()).isTrue();
        assertThat(server.post("/api/workflows/" + id + "/pause", "").json().get("actionTaken").asText())
                .as("a second pause").isEqualTo("ignored");

        TestServer.Response instruction = server.post("/api/workflows/" + id + "/messages",
                "{\"content\":\"Use JWT tokens in httpOnly cookies\",\"action_type\":\"instruction\"}");
        assertThat(instruction.status()).isEqualTo(201);
        assertThat(instruction.json().get("actionTaken").asText()).isEqualTo("instruction_queued");
        long agentMessages = agentMessageCount(id);
        await().during(Duration.ofMillis(600)).atMost(Duration.ofSeconds(3))
                .until(() -> agentMessageCount(id) == agentMessages);

        TestServer.Response resume = server.post("/api/workflows/" + id + "/unpause", "");
        assertThat(resume.status()).isEqualTo(202);
        assertThat(resume.json().get("actionTaken").asText()).isEqualTo("resume_requested");
        JsonNode reply = server.awaitMessage(id, "Acknowledged user context - ");
        assertThat(reply.get("content").asText()).contains("Use JWT tokens in httpOnly cookies");
        assertThat(reply.get("metadata").get("inReplyTo").asLong()).isEqualTo(instruction.json().get("messageId").asLong());
        assertThat(server.messages(id)).filteredOn(m -> m.get("id").asLong() == instruction.json().get("messageId").asLong())
                .extracting(m -> m.get("action_status").asText()).containsExactly("processed");

        TestServer.Response cancel = server.delete("/api/workflows/" + id);
        assertThat(cancel.status()).isEqualTo(202);
        assertThat(cancel.json().get("actionTaken").asText()).isEqualTo("cancel_requested");
        server.awaitStatus(id, "cancelled");
        assertThat(server.messages(id)).extracting(m -> m.get("content").asText())
                .containsSubsequence("Wait for me", "Workflow paused at user request", "Use JWT tokens in httpOnly cookies",
                        "Resume requested", "Workflow resumed", "Cancel requested", "Workflow cancelled by user: Cancel requested");
    }

    @Test
    void aRedirectCreatesTheNewWorkflowWhoseAgentsRun() {
        long id = server.createWorkflow("Add a settings page to the dashboard");
        server.awaitMessage(id, "Starting plan agent");

        TestServer.Response redirect = server.post("/api/workflows/" + id + "/messages", """
                {"content":"REDIRECT: make it a dropdown menu","action_type":"redirect",
                 "metadata":{"newTaskDescription":"Add a settings dropdown menu to the header"}}""");

        assertThat(redirect.status()).isEqualTo(201);
        assertThat(redirect.json().get("actionTaken").asText()).isEqualTo("redirect_requested");
        server.awaitStatus(id, "redirected");
        long newId = server.workflow(id).get("redirected_to").asLong();
        JsonNode replacement = server.workflow(newId);
        assertThat(replacement.get("task_description").asText()).isEqualTo("Add a settings dropdown menu to the header");
        assertThat(replacement.get("redirected_from").asLong()).isEqualTo(id);
        assertThat(server.awaitMessage(id, "Original workflow cancelled, new workflow #").get("content").asText())
                .isEqualTo("Original workflow cancelled, new workflow #" + newId + " created");
        server.awaitMessage(newId, "Starting plan agent - ");
    }

    @Test
    void aCommentOnAFinishedWorkflowIsStoredAsAReviewNote() {
        int before = server.messages(finished).size();

        TestServer.Response comment = server.post("/api/workflows/" + finished + "/messages", "{\"content\":\"Looked fine to me\"}");

        assertThat(comment.status()).isEqualTo(201);
        assertThat(comment.json().get("actionTaken").asText()).isEqualTo("comment_added");
        assertThat(server.messages(finished)).hasSize(before + 1).last()
                .satisfies(m -> assertThat(m.get("action_status").asText()).isEqualTo("processed"));
    }

    @Test
    void refusesChangesFromAPageOfAnotherSiteAndBodiesThatAreNotJson() {
        int before = server.messages(finished).size();
        String comment = "{\"content\":\"from elsewhere\"}";
        String path = "/api/workflows/" + finished + "/messages";

        assertRefused(server.send(HttpRequest.newBuilder(server.uri(path)).header("Origin", "http://evil.example")
                .POST(HttpRequest.BodyPublishers.ofString(comment))), 403, "Origin");
        assertRefused(server.send(HttpRequest.newBuilder(server.uri("/api/workflows/" + finished + "/pause"))
                .header("Origin", "http://evil.example").POST(HttpRequest.BodyPublishers.noBody())), 403, "Origin");
        // What a plain HTML form or a no-cors fetch can send.
        assertRefused(server.send(HttpRequest.newBuilder(server.uri(path)).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString(comment))), 415, "Content-Type");
        assertThat(server.messages(finished)).hasSize(before);

        // The server's own page sends its origin; other clients send none.
        TestServer.Response own = server.send(HttpRequest.newBuilder(server.uri(path))
                .header("Origin", "http://127.0.0.1:" + server.server.port())
                .POST(HttpRequest.BodyPublishers.ofString("{\"content\":\"from the page\"}")));
        assertThat(own.status()).as("%s", own).isEqualTo(201);
    }

    /**
     * DNS rebinding: a page on a name the attacker controls, which then resolves to this machine,
     * sends requests whose Origin matches their Host; only the host names the server was started
     * for may be addressed.
     */
    @Test
    void refusesRequestsAddressedToAnotherHostAsThroughDnsRebinding() {
        long id = server.createWorkflow("A workflow a rebinding page tries to steer");
        assertThat(server.post("/api/workflows/" + id + "/pause", "").status()).isEqualTo(202);
        server.awaitStatus(id, "paused");
        int before = server.messages(id).size();
        int port = server.server.port();
        String host = "rebind.example:" + port;
        String origin = "Origin: http://" + host + "\r\n";
        byte[] comment = "{\"content\":\"from the rebinding page\"}".getBytes(StandardCharsets.UTF_8);

        for (String head : List.of(
                "POST /api/workflows/" + id + "/messages HTTP/1.1\r\nHost: " + host + "\r\n" + origin
                        + "Content-Type: application/json\r\n",
                "POST /api/workflows/" + id + "/unpause HTTP/1.1\r\nHost: " + host + "\r\n" + origin,
                "DELETE /api/workflows/" + id + " HTTP/1.1\r\nHost: " + host + "\r\n" + origin,
                // Reading is refused too: after the rebinding the page could read the answers.
                "GET /api/workflows/" + id + "/messages HTTP/1.1\r\nHost: " + host + "\r\n",
                "GET /api/workflows HTTP/1.1\r\nHost: REBIND.example\r\n",
                "GET / HTTP/1.1\r\nHost: " + host + "\r\n",
                "GET /app.js HTTP/1.1\r\nHost: " + host + "\r\n",
                "GET /api/workflows HTTP/1.1\r\nHost: localhost.\r\n",
                // HTTP/1.0 may leave the Host out; a request that names no host is refused as well.
                "GET /api/workflows HTTP/1.0\r\n")) {
            RawHttp.Response response = RawHttp.send(port, head, head.startsWith("POST /api/workflows/" + id + "/messages")
                    ? comment : new byte[0]);
            assertRefused(response.asTestResponse(), 421, "Host");
            assertThat(response.headers().get("content-type")).as("%s", response).startsWith("application/json");
        }

        assertThat(server.messages(id)).as("nothing stored").hasSize(before);
        assertThat(server.workflow(id).get("status").asText()).isEqualTo("paused");
        // The names the server was started for pass, whatever their case and port.
        for (String allowed : List.of("localhost:" + port, "127.0.0.1:" + port, "LocalHost:" + port)) {
            RawHttp.Response own = RawHttp.send(port, "POST /api/workflows/" + id + "/messages HTTP/1.1\r\nHost: "
                    + allowed + "\r\nOrigin: http://" + allowed + "\r\nContent-Type: application/json\r\n", comment);
            assertThat(own.status()).as("%s", own).isEqualTo(201);
        }
        assertThat(server.messages(id)).hasSize(before + 3);
        assertThat(server.delete("/api/workflows/" + id).status()).isEqualTo(202);
    }

    @Test
    void answersRequestsToTheHostNamesItWasGiven() {
        DemoServer.Settings settings = DemoServer.Settings.parse(new String[] {"--in-memory",
                "--allowed-hosts=Demo.Example,192.0.2.7"});
        assertThat(settings.allowedHosts()).containsExactly("demo.example", "192.0.2.7");
        for (String bad : List.of("--allowed-hosts=", "--allowed-hosts=demo.example:80", "--allowed-hosts=a b")) {
            assertThatThrownBy(() -> DemoServer.Settings.parse(new String[] {bad})).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("--allowed-hosts must be");
        }
        try (TestServer named = TestServer.start(settings.withPace(TestServer.TEST_PACE))) {
            int port = named.server.port();
            for (String host : List.of("demo.example:" + port, "192.0.2.7:" + port, "127.0.0.1:" + port)) {
                RawHttp.Response created = RawHttp.send(port, "POST /api/workflows HTTP/1.1\r\nHost: " + host
                        + "\r\nOrigin: http://" + host + "\r\nContent-Type: application/json\r\n",
                        "{\"task_description\":\"Add a settings page\"}".getBytes(StandardCharsets.UTF_8));
                assertThat(created.status()).as("%s", created).isEqualTo(201);
            }
            assertRefused(RawHttp.send(port, "GET /api/workflows HTTP/1.1\r\nHost: other.example\r\n").asTestResponse(),
                    421, "Host");
            assertThat(named.get("/api/workflows").json().get("workflows")).hasSize(3);
        }
    }

    @Test
    void refusesANewWorkflowBeyondTheLimitEvenWhenRequestsRace() throws Exception {
        int limit = 3;
        try (TestServer small = TestServer.start(DemoServer.Settings.inMemory()
                .withPace(dev.workflowthread.examples.agents.Pace.HUMAN).withMaxRunning(limit))) {
            ExecutorService clients = Executors.newFixedThreadPool(12);
            try {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Integer>> statuses = new ArrayList<>();
                for (int i = 0; i < 24; i++) {
                    String body = "{\"task_description\":\"Race " + i + "\"}";
                    statuses.add(clients.submit(() -> {
                        go.await();
                        return small.post("/api/workflows", body).status();
                    }));
                }
                go.countDown();
                List<Integer> answered = new ArrayList<>();
                for (Future<Integer> status : statuses) {
                    answered.add(status.get(1, TimeUnit.MINUTES));
                }
                assertThat(answered).containsOnly(201, 429).filteredOn(status -> status == 201).hasSize(limit);
                assertThat(small.get("/api/workflows").json().get("workflows")).hasSize(limit);
            } finally {
                clients.shutdownNow();
            }
        }
    }

    @Test
    void refusesANewWorkflowBeyondTheLimitOfRunningOnes() {
        try (TestServer small = TestServer.start(DemoServer.Settings.inMemory()
                .withPace(dev.workflowthread.examples.agents.Pace.HUMAN).withMaxRunning(1))) {
            small.createWorkflow("The one that runs");
            TestServer.Response refused = small.post("/api/workflows", "{\"task_description\":\"One too many\"}");
            assertThat(refused.status()).isEqualTo(429);
            assertThat(small.get("/api/workflows").json().get("workflows")).hasSize(1);
        }
    }

    static Stream<Arguments> badSends() {
        return Stream.of(
                Arguments.of("not JSON", "{\"content\":", 400, "body"),
                Arguments.of("an array", "[1,2]", 400, "body"),
                Arguments.of("an empty body", "", 400, "body"),
                Arguments.of("two JSON values", "{\"content\":\"a\"} {\"content\":\"b\"}", 400, "body"),
                Arguments.of("no content", "{\"action_type\":\"comment\"}", 400, "content"),
                Arguments.of("blank content", "{\"content\":\"   \"}", 400, "content"),
                Arguments.of("content not a string", "{\"content\":42}", 400, "content"),
                Arguments.of("content with NUL", "{\"content\":\"a\\u0000b\"}", 400, "content"),
                Arguments.of("an unpaired surrogate", "{\"content\":\"a\\ud800b\"}", 400, "content"),
                Arguments.of("an unknown action type", "{\"content\":\"x\",\"action_type\":\"explode\"}", 400, "action_type"),
                Arguments.of("an unknown field", "{\"content\":\"x\",\"actionType\":\"pause\"}", 400, "actionType"),
                Arguments.of("a duplicate key", "{\"content\":\"x\",\"content\":\"y\"}", 400, "content"),
                Arguments.of("a duplicate key in metadata", "{\"content\":\"x\",\"metadata\":{\"a\":1,\"a\":2}}", 400, "metadata.a"),
                Arguments.of("metadata not an object", "{\"content\":\"x\",\"metadata\":[1]}", 400, "metadata"),
                Arguments.of("a blank author", "{\"content\":\"x\",\"author\":\" \"}", 400, "author"),
                Arguments.of("an author (the server sets it)", "{\"content\":\"x\",\"author\":\"alice\"}", 400, "author"),
                Arguments.of("a redirect without a new task", "{\"content\":\"x\",\"action_type\":\"redirect\"}", 400,
                        "metadata.newTaskDescription"),
                Arguments.of("content over the limit", "{\"content\":\"" + "é".repeat(32 * 1024 + 1) + "\"}", 413, "content"),
                Arguments.of("metadata over the limit", "{\"content\":\"x\",\"metadata\":{\"a\":\"" + "x".repeat(70_000) + "\"}}",
                        413, "metadata"),
                Arguments.of("a new task over the limit", "{\"content\":\"x\",\"action_type\":\"redirect\",\"metadata\":"
                        + "{\"newTaskDescription\":\"" + "x".repeat(HostWorkflows.MAX_TASK_LENGTH + 1) + "\"}}", 413,
                        "metadata.newTaskDescription"),
                Arguments.of("a body over 1 MiB", "{\"content\":\"" + "x".repeat(1024 * 1024) + "\"}", 413, "body"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badSends")
    void refusesABadMessageNamingTheFieldAndStoresNothing(String what, String body, int status, String field) {
        int before = server.messages(finished).size();

        TestServer.Response response = server.post("/api/workflows/" + finished + "/messages", body);

        assertRefused(response, status, field);
        assertThat(server.messages(finished)).as("nothing stored").hasSize(before);
    }

    static Stream<Arguments> bodiesThatAreNotUtf8() {
        return Stream.of(
                Arguments.of("bytes FF FE", new byte[] {(byte) 0xff, (byte) 0xfe}),
                Arguments.of("the overlong C0 AF for '/'", new byte[] {(byte) 0xc0, (byte) 0xaf}),
                Arguments.of("the lone surrogate U+D800, encoded", new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80}),
                Arguments.of("a sequence cut short", new byte[] {(byte) 0xe2, (byte) 0x82}),
                Arguments.of("a lone continuation byte", new byte[] {(byte) 0x80}),
                Arguments.of("beyond U+10FFFF", new byte[] {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bodiesThatAreNotUtf8")
    void refusesABodyThatIsNotUtf8AndStoresNothing(String what, byte[] bad) {
        int before = server.messages(finished).size();
        for (String path : List.of("/messages", "/pause")) {
            byte[] body = concat("{\"content\":\"a".getBytes(StandardCharsets.UTF_8), bad, "b\"}".getBytes(StandardCharsets.UTF_8));

            TestServer.Response response = server.send(HttpRequest.newBuilder(server.uri("/api/workflows/" + finished + path))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)));

            assertRefused(response, 400, "body");
            assertThat(response.json().get("error").asText()).contains("UTF-8");
        }
        byte[] task = concat("{\"task_description\":\"a".getBytes(StandardCharsets.UTF_8), bad,
                "b\"}".getBytes(StandardCharsets.UTF_8));
        int workflows = server.get("/api/workflows?limit=200").json().get("workflows").size();
        assertRefused(server.send(HttpRequest.newBuilder(server.uri("/api/workflows"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(task))), 400, "body");

        assertThat(server.messages(finished)).as("nothing stored").hasSize(before);
        assertThat(server.get("/api/workflows?limit=200").json().get("workflows")).hasSize(workflows);
    }

    @Test
    void takesUtf8AsSentAndRefusesABodyInAnotherCharset() {
        int before = server.messages(finished).size();
        String path = "/api/workflows/" + finished + "/messages";
        assertRefused(server.send(HttpRequest.newBuilder(server.uri(path)).header("Content-Type", "application/json; charset=iso-8859-1")
                .POST(HttpRequest.BodyPublishers.ofString("{\"content\":\"caf\u00e9\"}", StandardCharsets.ISO_8859_1))),
                415, "Content-Type");
        assertRefused(server.send(HttpRequest.newBuilder(server.uri(path)).header("Content-Type", "application/json; charset=x-unknown")
                .POST(HttpRequest.BodyPublishers.ofString("{\"content\":\"x\"}"))), 415, "Content-Type");
        assertThat(server.messages(finished)).as("nothing stored").hasSize(before);

        String text = "caf\u00e9 \u65e5\u672c \ud83d\ude00 \ufffd as sent";
        TestServer.Response stored = server.send(HttpRequest.newBuilder(server.uri(path))
                .header("Content-Type", "application/json; charset=UTF-8")
                .POST(HttpRequest.BodyPublishers.ofString("{\"content\":\"" + text + "\"}", StandardCharsets.UTF_8)));
        assertThat(stored.status()).as("%s", stored).isEqualTo(201);
        assertThat(server.messages(finished)).last().satisfies(m -> assertThat(m.get("content").asText()).isEqualTo(text));
    }

    @Test
    void refusesAChunkedBodyOverTheLimit() {
        int before = server.messages(finished).size();
        byte[] body = ("{\"content\":\"" + "x".repeat(2 * 1024 * 1024) + "\"}").getBytes(StandardCharsets.UTF_8);

        TestServer.Response response = server.send(HttpRequest.newBuilder(server.uri("/api/workflows/" + finished + "/messages"))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))));

        assertRefused(response, 413, "body");
        assertThat(server.messages(finished)).hasSize(before);
    }

    static Stream<Arguments> badCreates() {
        return Stream.of(
                Arguments.of("no task", "{}", 400, "task_description"),
                Arguments.of("a blank task", "{\"task_description\":\" \"}", 400, "task_description"),
                Arguments.of("a task that is not a string", "{\"task_description\":[\"a\"]}", 400, "task_description"),
                Arguments.of("a task with a control character", "{\"task_description\":\"a\\u0007b\"}", 400, "task_description"),
                Arguments.of("an unknown field", "{\"task_description\":\"a\",\"task\":\"b\"}", 400, "task"),
                Arguments.of("a duplicate key", "{\"task_description\":\"a\",\"task_description\":\"b\"}", 400, "task_description"),
                Arguments.of("not JSON", "task_description=a", 400, "body"),
                Arguments.of("a task over the limit", "{\"task_description\":\"" + "x".repeat(HostWorkflows.MAX_TASK_LENGTH + 1)
                        + "\"}", 413, "task_description"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badCreates")
    void refusesABadNewWorkflowNamingTheField(String what, String body, int status, String field) {
        int before = server.get("/api/workflows?limit=200").json().get("workflows").size();

        assertRefused(server.post("/api/workflows", body), status, field);
        assertThat(server.get("/api/workflows?limit=200").json().get("workflows")).as("nothing stored").hasSize(before);
    }

    @ParameterizedTest(name = "{0} /api/workflows/…{1}")
    @MethodSource("everyWorkflowEndpoint")
    void answers404ForAnUnknownWorkflow(String method, String suffix) {
        TestServer.Response response = server.send(request(method, "/api/workflows/987654" + suffix));

        assertRefused(response, 404, "id");
        assertThat(response.json().get("error").asText()).isEqualTo("workflow 987654 not found");
    }

    @ParameterizedTest(name = "{0} /api/workflows/…{1}")
    @MethodSource("everyWorkflowEndpoint")
    void answers400ForAnIdThatIsNotANumber(String method, String suffix) {
        assertRefused(server.send(request(method, "/api/workflows/seven" + suffix)), 400, "id");
    }

    static Stream<Arguments> everyWorkflowEndpoint() {
        return Stream.of(Arguments.of("GET", ""), Arguments.of("DELETE", ""), Arguments.of("GET", "/messages"),
                Arguments.of("POST", "/messages"), Arguments.of("POST", "/pause"), Arguments.of("POST", "/unpause"));
    }

    static Stream<Arguments> controlsOnAFinishedWorkflow() {
        return Stream.of(
                Arguments.of("POST", "/pause", ""),
                Arguments.of("POST", "/unpause", "{\"content\":\"go on\"}"),
                Arguments.of("DELETE", "", ""),
                Arguments.of("POST", "/messages", "{\"content\":\"stop\",\"action_type\":\"pause\"}"),
                Arguments.of("POST", "/messages", "{\"content\":\"go\",\"action_type\":\"resume\"}"),
                Arguments.of("POST", "/messages", "{\"content\":\"stop\",\"action_type\":\"cancel\"}"),
                Arguments.of("POST", "/messages", "{\"content\":\"x\",\"action_type\":\"redirect\",\"metadata\":{\"newTaskDescription\":\"y\"}}"));
    }

    @ParameterizedTest(name = "{0} …{1} {2}")
    @MethodSource("controlsOnAFinishedWorkflow")
    void answers409ForAControlActionOnAFinishedWorkflowAndStoresNothing(String method, String suffix, String body) {
        int before = server.messages(finished).size();

        TestServer.Response response = server.send(request(method, "/api/workflows/" + finished + suffix, body));

        // The shorthand endpoints have no action_type field: their action is the path's.
        assertRefused(response, 409, suffix.equals("/messages") ? "action_type" : null);
        assertThat(response.json().get("error").asText()).contains("already cancelled");
        assertThat(server.messages(finished)).hasSize(before);
    }

    @Test
    void refusesBadPagingParameters() {
        assertRefused(server.get("/api/workflows/" + finished + "/messages?after=-1"), 400, "after");
        assertRefused(server.get("/api/workflows/" + finished + "/messages?after=x"), 400, "after");
        assertRefused(server.get("/api/workflows/" + finished + "/messages?limit=0"), 400, "limit");
        assertRefused(server.get("/api/workflows/" + finished + "/messages?limit=1001"), 400, "limit");
        assertRefused(server.get("/api/workflows?limit=1000"), 400, "limit");
    }

    @Test
    void refusesBadControlBodies() {
        assertRefused(server.post("/api/workflows/" + finished + "/pause", "{\"reason\":\"x\"}"), 400, "reason");
        assertRefused(server.post("/api/workflows/" + finished + "/pause", "{\"content\":\"  \"}"), 400, "content");
        assertRefused(server.post("/api/workflows/" + finished + "/unpause", "[]"), 400, "body");
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
            "GET,    /api/workflows/١,                       id",
            "GET,    /api/workflows/%D9%A1,                  id",
            "GET,    /api/workflows/%EF%BC%91,               id",
            "POST,   /api/workflows/١/pause,                 id",
            "DELETE, /api/workflows/+1,                      id",
            "GET,    /api/workflows/1/messages?after=١,      after",
            "GET,    /api/workflows/1/messages?limit=%D9%A1, limit",
            "GET,    /api/workflows?limit=%2B5,              limit"})
    void takesOnlyAsciiDigitsAsNumbers(String method, String path, String field) {
        int before = server.messages(finished).size();

        TestServer.Response response = server.send(request(method, path.replace("١", "%D9%A1")
                .replace("/workflows/1/", "/workflows/" + finished + "/")));

        assertRefused(response, 400, field);
        assertThat(response.json().get("error").asText()).contains("ASCII digits");
        assertThat(server.messages(finished)).as("nothing stored").hasSize(before);
    }

    static Stream<Arguments> requestsJettyRefuses() {
        return Stream.of(
                Arguments.of("a NUL in the path", "GET /api/workflows/%00 HTTP/1.1\r\nHost: localhost\r\n", 400),
                Arguments.of("a NUL after an id", "GET /api/workflows/1%00 HTTP/1.1\r\nHost: localhost\r\n", 400),
                Arguments.of("a NUL, on DELETE", "DELETE /api/workflows/1%00 HTTP/1.1\r\nHost: localhost\r\n", 400),
                Arguments.of("a NUL, on POST", "POST /api/workflows/%00/messages HTTP/1.1\r\nHost: localhost\r\n"
                        + "Content-Type: application/json\r\n", 400),
                Arguments.of("a bad escape", "GET /api/workflows/%zz HTTP/1.1\r\nHost: localhost\r\n", 400),
                Arguments.of("a dot-dot segment", "GET /%2e%2e/etc/passwd HTTP/1.1\r\nHost: localhost\r\n", 400),
                Arguments.of("an ambiguous path parameter", "GET /api/workflows/1/..;/x HTTP/1.1\r\nHost: localhost\r\n", 400),
                Arguments.of("a control character in the path", "GET /api/\u0001 HTTP/1.1\r\nHost: localhost\r\n", 400),
                Arguments.of("no Host in HTTP/1.1", "GET /api/workflows HTTP/1.1\r\n", 400),
                Arguments.of("two lengths", "POST /api/workflows/1/messages HTTP/1.1\r\nHost: localhost\r\n"
                        + "Transfer-Encoding: chunked\r\n", 400),
                Arguments.of("headers too large", "GET /api/workflows HTTP/1.1\r\nHost: localhost\r\nX-Big: "
                        + "x".repeat(20_000) + "\r\n", 431),
                Arguments.of("an unknown path, for a browser", "GET /nothing.html HTTP/1.1\r\nHost: localhost\r\n"
                        + "Accept: text/html\r\n", 404),
                Arguments.of("a method not allowed, for a browser", "PUT /api/workflows/1 HTTP/1.1\r\nHost: localhost\r\n"
                        + "Accept: text/html\r\n", 405));
    }

    /** What Jetty refuses before (or instead of) the routes is the same JSON error as every other refusal. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("requestsJettyRefuses")
    void answersWhatJettyRefusesWithTheJsonErrorBody(String what, String head, int status) {
        int before = server.messages(finished).size();

        RawHttp.Response response = RawHttp.send(server.server.port(), head.replace("/workflows/1", "/workflows/" + finished),
                head.startsWith("POST") ? "{\"content\":\"x\"}".getBytes(StandardCharsets.UTF_8) : new byte[0]);

        assertThat(response.headers().get("content-type")).as("%s", response).startsWith("application/json");
        assertRefused(response.asTestResponse(), status, null);
        assertThat(server.messages(finished)).as("nothing stored").hasSize(before);
    }

    @Test
    void answersJsonForAnUnknownEndpointAndAMethodNotAllowed() {
        TestServer.Response unknown = server.get("/api/nothing");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().get("status").asInt()).isEqualTo(404);

        TestServer.Response put = server.send(HttpRequest.newBuilder(server.uri("/api/workflows/" + finished))
                .PUT(HttpRequest.BodyPublishers.ofString("{}")));
        assertThat(put.status()).isEqualTo(405);
        assertThat(put.json().get("status").asInt()).isEqualTo(405);
    }

    @Test
    void servesThePageWithAPolicyThatForbidsInlineScript() {
        for (String path : List.of("/", "/workflows/" + finished)) {
            TestServer.Response page = server.get(path);
            assertThat(page.status()).isEqualTo(200);
            assertThat(page.body()).contains("<script src=\"/app.js\"></script>");
            assertThat(page.raw().headers().firstValue("Content-Security-Policy")).hasValueSatisfying(
                    policy -> assertThat(policy).contains("default-src 'self'").doesNotContain("unsafe-inline"));
        }
        assertThat(server.get("/app.js").body()).contains("textContent").doesNotContain("innerHTML");
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        for (byte[] part : parts) {
            all.writeBytes(part);
        }
        return all.toByteArray();
    }

    private static long agentMessageCount(long id) {
        return server.messages(id).stream().filter(m -> m.get("message_type").asText().equals("agent")).count();
    }

    private static HttpRequest.Builder request(String method, String path) {
        return request(method, path, method.equals("POST") ? "{\"content\":\"x\"}" : "");
    }

    /** A comment on the finished workflow over a plain socket, with {@code headers} (each ending in CRLF) of the test's choosing. */
    private static RawHttp.Response rawComment(String headers, byte[] body) {
        return RawHttp.send(server.server.port(), "POST /api/workflows/" + finished + "/messages HTTP/1.1\r\nHost: 127.0.0.1:"
                + server.server.port() + "\r\n" + headers, body);
    }

    private static byte[] comment(String content, java.nio.charset.Charset charset) {
        return ("{\"content\":\"" + content + "\"}").getBytes(charset);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("smuggledCharsets")
    void refusesAContentTypeWhoseCharsetOrParametersCannotBeTakenAtFaceValue(String type, byte[] body) {
        int before = server.messages(finished).size();
        assertRefused(rawComment("Content-Type: " + type + "\r\n", body).asTestResponse(), 415, "Content-Type");
        assertThat(server.messages(finished)).as("nothing stored").hasSize(before);
    }

    static Stream<Arguments> smuggledCharsets() {
        byte[] ascii = comment("x", StandardCharsets.UTF_8);
        return Stream.of(
                // Every byte below 0x80, so well-formed UTF-8; Javalin would decode it as UTF-16.
                Arguments.of("application/json; charsetx=UTF-16BE", comment("\u4e2d\u5b57 smuggled", StandardCharsets.UTF_16BE)),
                Arguments.of("application/json; charset_=ISO-8859-1", comment("caf\u00e9 \u2603", StandardCharsets.UTF_8)),
                Arguments.of("application/json; Charset=utf-16", ascii),
                Arguments.of("application/json; charset", ascii),
                Arguments.of("application/json; charset=", ascii),
                Arguments.of("application/json; charset=\"utf-8", ascii),
                Arguments.of("application/json; foo=\"a;charset=latin1\"", ascii),
                Arguments.of("application/json; charset=utf-8 x", ascii),
                Arguments.of("application/json; =utf-8", ascii));
    }

    @Test
    void takesTheCharsetUtf8QuotedOrNotAndDecodesTheBodyAsUtf8() {
        String text = "caf\u00e9 \u2603";
        for (String type : List.of("application/json;charset=\"UTF-8\"", "application/json; foo=bar; CHARSET=utf-8")) {
            RawHttp.Response stored = rawComment("Content-Type: " + type + "\r\n", comment(text, StandardCharsets.UTF_8));
            assertThat(stored.status()).as("%s", stored).isEqualTo(201);
            assertThat(server.messages(finished)).last().satisfies(m -> assertThat(m.get("content").asText()).isEqualTo(text));
        }
    }

    @Test
    void aClientThatGoesAwayMidBodyIsNoServerFailure() throws Exception {
        int before = server.messages(finished).size();
        ch.qos.logback.classic.Logger log = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(ApiRoutes.class);
        ch.qos.logback.classic.Level level = log.getLevel();
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logged =
                new ch.qos.logback.core.read.ListAppender<>();
        logged.start();
        log.addAppender(logged);
        log.setLevel(ch.qos.logback.classic.Level.DEBUG);
        try {
            try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.server.port())) {
                socket.getOutputStream().write(("POST /api/workflows/" + finished + "/messages HTTP/1.1\r\nHost: 127.0.0.1:"
                        + server.server.port() + "\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"con")
                        .getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
            }
            String path = "/api/workflows/" + finished + "/messages";
            // The server's word on the request, whatever its level: without the fix, an ERROR with a stack trace.
            await().atMost(Duration.ofSeconds(30)).until(() -> events(logged).stream()
                    .anyMatch(e -> e.getFormattedMessage().contains(path)));
            assertThat(events(logged)).noneMatch(e -> e.getLevel().isGreaterOrEqual(ch.qos.logback.classic.Level.WARN))
                    .anyMatch(e -> e.getFormattedMessage().contains("the body could not be read"));
        } finally {
            log.setLevel(level);
            log.detachAppender(logged);
        }
        assertThat(server.messages(finished)).as("nothing stored").hasSize(before);
    }

    private static List<ch.qos.logback.classic.spi.ILoggingEvent> events(
            ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> appender) {
        synchronized (appender) {
            return List.copyOf(appender.list);
        }
    }

    @Test
    void aPageOfTheIpv6LoopbackMayWriteAndSubscribe() {
        int port = server.server.port();
        String host = "[::1]:" + port;
        RawHttp.Response stored = RawHttp.send(port, "POST /api/workflows/" + finished + "/messages HTTP/1.1\r\nHost: " + host
                + "\r\nOrigin: http://" + host + "\r\nContent-Type: application/json\r\n", comment("from [::1]", StandardCharsets.UTF_8));
        assertThat(stored.status()).as("%s", stored).isEqualTo(201);
        RawHttp.Response upgraded = RawHttp.send(port, RawHttp.upgrade(host, "http://" + host));
        assertThat(upgraded.status()).as("%s", upgraded).isEqualTo(101);
    }

    @ParameterizedTest
    @CsvSource({"https://127.0.0.1:PORT", "ftp://127.0.0.1:PORT", "chrome-extension://127.0.0.1:PORT",
            "http://user:pw@127.0.0.1:PORT", "http://127.0.0.1:0PORT", "http://127.0.0.1:PORT/", "http://127.0.0.1",
            "http://127.0.0.1:1PORT", "null", "HTTP://127.0.0.1:PORT"})
    void refusesAnOriginThatIsNotExactlyThisServersOwn(String template) {
        int before = server.messages(finished).size();
        String origin = template.replace("PORT", String.valueOf(server.server.port()));
        assertRefused(rawComment("Origin: " + origin + "\r\nContent-Type: application/json\r\n",
                comment("from " + origin, StandardCharsets.UTF_8)).asTestResponse(), 403, "Origin");
        assertRefused(RawHttp.send(server.server.port(), RawHttp.upgrade("127.0.0.1:" + server.server.port(), origin))
                .asTestResponse(), 403, "Origin");
        assertThat(server.messages(finished)).as("nothing stored").hasSize(before);
    }

    @Test
    void refusesARequestWithTwoOrigins() {
        int before = server.messages(finished).size();
        String own = "Origin: http://127.0.0.1:" + server.server.port() + "\r\n";
        assertRefused(rawComment(own + "Origin: http://evil.example\r\nContent-Type: application/json\r\n",
                comment("two origins", StandardCharsets.UTF_8)).asTestResponse(), 403, "Origin");
        assertRefused(rawComment(own + own + "Content-Type: application/json\r\n",
                comment("two origins", StandardCharsets.UTF_8)).asTestResponse(), 403, "Origin");
        assertThat(server.messages(finished)).as("nothing stored").hasSize(before);
    }

    @ParameterizedTest
    @CsvSource({"X-HTTP-Method-Override", "X-HTTP-Method", "X-Method-Override"})
    void refusesAMethodOverride(String header) {
        long id = server.createWorkflow("A workflow a method override must not cancel");
        int port = server.server.port();
        assertRefused(RawHttp.send(port, "POST /api/workflows/" + id + "/pause HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n"
                + header + ": DELETE\r\n").asTestResponse(), 400, header);
        assertRefused(RawHttp.send(port, "GET /api/workflows/" + id + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n"
                + header + ": DELETE\r\n").asTestResponse(), 400, header);
        assertRefused(RawHttp.send(port, RawHttp.upgrade("127.0.0.1:" + port, null) + header + ": POST\r\n")
                .asTestResponse(), 400, header);
        assertThat(server.messages(id)).noneMatch(m -> m.get("action_type").asText().matches("pause|cancel"));
        assertThat(server.delete("/api/workflows/" + id).status()).isEqualTo(202);
    }

    @Test
    void refusesARequestWithTwoVisitorCookies() {
        int before = server.messages(finished).size();
        String attacker = "a".repeat(43);
        String victim = "b".repeat(43);
        for (String cookies : List.of("Cookie: wt_visitor=" + attacker + "; wt_visitor=" + victim + "\r\n",
                "Cookie: wt_visitor=" + attacker + "\r\nCookie: wt_visitor=" + victim + "\r\n")) {
            assertRefused(rawComment(cookies + "Content-Type: application/json\r\n", comment("tossed", StandardCharsets.UTF_8))
                    .asTestResponse(), 400, "Cookie");
            assertRefused(RawHttp.send(server.server.port(), "GET /api/session HTTP/1.1\r\nHost: 127.0.0.1:"
                    + server.server.port() + "\r\n" + cookies).asTestResponse(), 400, "Cookie");
        }
        assertThat(server.messages(finished)).as("nothing stored").hasSize(before);
    }

    private static HttpRequest.Builder request(String method, String path, String body) {
        return HttpRequest.newBuilder(server.uri(path)).method(method, body.isEmpty()
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    }

    private static void assertRefused(TestServer.Response response, int status, String field) {
        assertThat(response.status()).as("%s", response).isEqualTo(status);
        JsonNode error = response.json();
        assertThat(error.get("status").asInt()).isEqualTo(status);
        if (field == null) {
            assertThat(error.get("field").isNull()).as("no field named in %s", response).isTrue();
        } else {
            assertThat(error.get("field").asText()).as("%s", response).isEqualTo(field);
        }
        assertThat(error.get("error").asText()).isNotBlank();
    }
}
