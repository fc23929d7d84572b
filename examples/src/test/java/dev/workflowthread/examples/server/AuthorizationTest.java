package dev.workflowthread.examples.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Who may steer which workflow, over real HTTP: the server knows each client by the HttpOnly
 * cookie it gave it; anyone may comment or instruct; only the person who started a workflow may
 * pause, resume, cancel or redirect it (403 for anyone else, nothing stored); and the author of a
 * message is who the cookie says, never what the body claims.
 */
class AuthorizationTest {
    private static TestServer alice;
    private static TestServer bob;
    /** Alice's workflow, held paused by her so that it is still there to steer whatever a test does. */
    private static long paused;

    @BeforeAll
    static void start() {
        alice = TestServer.start(TestServer.TEST_PACE);
        bob = alice.anotherPerson();
        paused = alice.createWorkflow("Add a settings page to the dashboard");
        assertThat(alice.post("/api/workflows/" + paused + "/pause", "{\"content\":\"Hold on\"}").status()).isEqualTo(202);
        alice.awaitStatus(paused, "paused");
    }

    @AfterAll
    static void stop() {
        alice.close();
    }

    @Test
    void theServerNamesEachClientByAnHttpOnlyCookieAndRecordsWhoStartedAWorkflow() {
        HttpClient noCookies = HttpClient.newHttpClient();
        HttpResponse<String> first = rawSend(noCookies, HttpRequest.newBuilder(alice.uri("/api/session")).GET().build());

        String cookie = first.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cookie).startsWith(Visitors.COOKIE + "=").contains("; HttpOnly").contains("; SameSite=Strict")
                .contains("; Path=/");
        assertThat(alice.visitor()).matches("visitor-[0-9a-f]{16}").isEqualTo(alice.visitor())
                .isNotEqualTo(bob.visitor());
        // Sent its cookie back, a client keeps its name and is given no new one.
        String secret = cookie.substring(Visitors.COOKIE.length() + 1, cookie.indexOf(';'));
        HttpResponse<String> again = rawSend(noCookies, HttpRequest.newBuilder(alice.uri("/api/session"))
                .header("Cookie", Visitors.COOKIE + "=" + secret).GET().build());
        assertThat(again.headers().firstValue("Set-Cookie")).isEmpty();
        assertThat(again.body()).contains(Visitors.nameOf(secret));

        assertThat(alice.workflow(paused).get("started_by").asText()).isEqualTo(alice.visitor());
    }

    @Test
    void anyoneMayCommentOrInstructAsThemselves() {
        TestServer.Response comment = bob.post("/api/workflows/" + paused + "/messages", "{\"content\":\"Looks good\"}");
        TestServer.Response instruction = bob.post("/api/workflows/" + paused + "/messages",
                "{\"content\":\"Use the design tokens\",\"action_type\":\"instruction\"}");

        assertThat(comment.status()).as("%s", comment).isEqualTo(201);
        assertThat(instruction.status()).as("%s", instruction).isEqualTo(201);
        assertThat(instruction.json().get("actionTaken").asText()).isEqualTo("instruction_queued");
        assertThat(userMessages(paused)).filteredOn(m -> m.get("id").asLong() == comment.json().get("messageId").asLong()
                        || m.get("id").asLong() == instruction.json().get("messageId").asLong())
                .extracting(m -> m.get("author").asText()).containsExactly(bob.visitor(), bob.visitor());
    }

    static Stream<Arguments> controls() {
        return Stream.of(
                Arguments.of("POST", "/pause", "", null),
                Arguments.of("POST", "/unpause", "", null),
                Arguments.of("DELETE", "", "{\"content\":\"Stop it\"}", null),
                Arguments.of("POST", "/messages", "{\"content\":\"wait\",\"action_type\":\"pause\"}", "action_type"),
                Arguments.of("POST", "/messages", "{\"content\":\"go on\",\"action_type\":\"resume\"}", "action_type"),
                Arguments.of("POST", "/messages", "{\"content\":\"stop\",\"action_type\":\"cancel\"}", "action_type"),
                Arguments.of("POST", "/messages", "{\"content\":\"this instead\",\"action_type\":\"redirect\","
                        + "\"metadata\":{\"newTaskDescription\":\"Something else\"}}", "action_type"));
    }

    @ParameterizedTest(name = "{0} …{1} {2}")
    @MethodSource("controls")
    void onlyTheStarterMaySteerAWorkflowAnyoneElseGets403AndNothingIsStored(String method, String suffix, String body,
                                                                           String field) {
        List<JsonNode> before = userMessages(paused);
        JsonNode state = alice.workflow(paused);

        TestServer.Response refused = bob.send(request(bob, method, "/api/workflows/" + paused + suffix, body));

        assertForbidden(refused, field);
        assertThat(userMessages(paused)).as("nothing stored").isEqualTo(before);
        JsonNode after = alice.workflow(paused);
        assertThat(after.get("status").asText()).isEqualTo("paused");
        assertThat(after.get("last_seq").asLong()).isEqualTo(state.get("last_seq").asLong());
        assertThat(after.get("redirected_to").isNull()).isTrue();
    }

    @Test
    void theStarterSteersTheirWorkflowAsThemselvesAndOwnsTheWorkflowARedirectMakes() {
        long id = alice.createWorkflow("Add a profile page");
        alice.awaitMessage(id, "Starting plan agent");

        TestServer.Response pause = alice.post("/api/workflows/" + id + "/pause", "");
        assertThat(pause.status()).as("%s", pause).isEqualTo(202);
        alice.awaitStatus(id, "paused");
        assertThat(alice.post("/api/workflows/" + id + "/unpause", "").status()).isEqualTo(202);
        TestServer.Response redirect = alice.post("/api/workflows/" + id + "/messages", """
                {"content":"make it a dropdown","action_type":"redirect",
                 "metadata":{"newTaskDescription":"Add a profile dropdown to the header"}}""");
        assertThat(redirect.status()).as("%s", redirect).isEqualTo(201);
        alice.awaitStatus(id, "redirected");
        assertThat(userMessages(id)).extracting(m -> m.get("author").asText()).containsOnly(alice.visitor());

        long replacement = alice.workflow(id).get("redirected_to").asLong();
        assertThat(alice.workflow(replacement).get("started_by").asText()).isEqualTo(alice.visitor());
        assertForbidden(bob.delete("/api/workflows/" + replacement), null);
        assertThat(alice.delete("/api/workflows/" + replacement).status()).isEqualTo(202);
        alice.awaitStatus(replacement, "cancelled");
    }

    @Test
    void noHeaderBodyOrCookieMakesSomeoneTheStarter() {
        String path = "/api/workflows/" + paused + "/unpause";
        List<JsonNode> before = userMessages(paused);

        // An author in the body is refused, not taken (nor silently replaced).
        TestServer.Response claimed = bob.post(path, "{\"author\":\"" + alice.visitor() + "\"}");
        assertThat(claimed.status()).as("%s", claimed).isEqualTo(400);
        assertThat(claimed.json().get("field").asText()).isEqualTo("author");
        TestServer.Response claimedComment = bob.post("/api/workflows/" + paused + "/messages",
                "{\"content\":\"hi\",\"author\":\"" + alice.visitor() + "\"}");
        assertThat(claimedComment.status()).isEqualTo(400);
        assertThat(claimedComment.json().get("field").asText()).isEqualTo("author");

        HttpClient noCookies = HttpClient.newHttpClient();
        // Her public name as the cookie's value is not her secret: a new visitor, with a new cookie.
        for (String cookie : List.of(Visitors.COOKIE + "=" + alice.visitor(),
                Visitors.COOKIE + "=" + "A".repeat(43), "visitor=" + alice.visitor(), "")) {
            HttpRequest.Builder request = HttpRequest.newBuilder(alice.uri(path)).POST(HttpRequest.BodyPublishers.noBody())
                    .header("X-Forwarded-User", alice.visitor()).header("X-Visitor", alice.visitor());
            if (!cookie.isEmpty()) {
                request.header("Cookie", cookie);
            }
            HttpResponse<String> response = rawSend(noCookies, request.build());
            assertThat(response.statusCode()).as("with cookie '%s': %s", cookie, response.body()).isEqualTo(403);
        }
        assertThat(userMessages(paused)).as("nothing stored").isEqualTo(before);
        assertThat(alice.workflow(paused).get("status").asText()).isEqualTo("paused");
    }

    private static void assertForbidden(TestServer.Response response, String field) {
        assertThat(response.status()).as("%s", response).isEqualTo(403);
        JsonNode error = response.json();
        assertThat(error.get("status").asInt()).isEqualTo(403);
        assertThat(error.get("error").asText()).startsWith("only the person who started workflow ")
                .contains(alice.visitor());
        if (field == null) {
            assertThat(error.get("field").isNull()).as("%s", response).isTrue();
        } else {
            assertThat(error.get("field").asText()).isEqualTo(field);
        }
    }

    private static List<JsonNode> userMessages(long id) {
        return alice.messages(id).stream().filter(m -> m.get("message_type").asText().equals("user")).toList();
    }

    private static HttpRequest.Builder request(TestServer client, String method, String path, String body) {
        return HttpRequest.newBuilder(client.uri(path)).method(method, body.isEmpty()
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    }

    private static HttpResponse<String> rawSend(HttpClient client, HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
