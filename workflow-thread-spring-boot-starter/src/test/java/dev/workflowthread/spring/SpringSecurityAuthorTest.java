package dev.workflowthread.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.workflowthread.ActionType;
import dev.workflowthread.Message;
import dev.workflowthread.WorkflowMessages;
import dev.workflowthread.WorkflowStatus;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The starter's REST API behind a real Spring Security filter chain, over real HTTP: the author of
 * a person's message is the name the chain authenticated, an {@code author} the body claims is
 * refused, and a caller the chain does not authenticate is answered 401 with nothing stored.
 */
@SpringBootTest(classes = SecuredApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.flyway.enabled=false")
class SpringSecurityAuthorTest {
    @LocalServerPort
    int port;

    @Autowired
    WorkflowMessages messages;

    private SecuredApplication.Client client;

    @BeforeEach
    void client() {
        client = new SecuredApplication.Client(port);
    }

    @Test
    void aPersonsMessageIsStoredWithTheAuthenticatedNameAsItsAuthor() throws Exception {
        long workflow = 7;
        messages.start(workflow);
        assertThat(client.asUser("GET", "/api/session", null).body()).isEqualTo("{\"visitor\":\"alice\"}");

        HttpResponse<String> sent = client.asUser("POST", "/api/workflows/" + workflow + "/messages",
                "{\"content\":\"Use the staging database\",\"action_type\":\"instruction\"}");
        assertThat(sent.statusCode()).as(sent.body()).isEqualTo(201);
        HttpResponse<String> paused = client.asUser("POST", "/api/workflows/" + workflow + "/pause", null);
        assertThat(paused.statusCode()).as(paused.body()).isEqualTo(202);

        assertThat(messages.getMessages(workflow)).filteredOn(m -> m.actionType() != null)
                .extracting(Message::actionType, Message::author, Message::content)
                .containsExactly(
                        tuple(ActionType.INSTRUCTION, "alice", "Use the staging database"),
                        tuple(ActionType.PAUSE, "alice", "Pause requested"));
    }

    @Test
    void anAuthorClaimedInTheBodyIsRefusedAndNothingIsStored() throws Exception {
        long workflow = 8;
        messages.start(workflow);
        int before = messages.getMessages(workflow).size();
        for (String path : new String[] {"/messages", "/pause"}) {
            HttpResponse<String> claimed = client.asUser("POST", "/api/workflows/" + workflow + path,
                    "{\"content\":\"Ship it\",\"author\":\"mallory\"}");
            assertThat(claimed.statusCode()).as(claimed.body()).isEqualTo(400);
            assertThat(claimed.body()).contains("\"field\":\"author\"");
        }
        assertThat(messages.getMessages(workflow)).hasSize(before).extracting(Message::author)
                .doesNotContain("mallory");
    }

    @Test
    void aCallerTheChainDoesNotAuthenticateIsAnswered401AndNothingIsStored() throws Exception {
        long workflow = 9;
        messages.start(workflow);
        int before = messages.getMessages(workflow).size();
        HttpResponse<String> anonymous = client.send("POST", "/api/workflows/" + workflow + "/messages",
                "{\"content\":\"Ship it\",\"author\":\"alice\"}", null, null);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(value ->
                assertThat(value).startsWith("Basic"));
        HttpResponse<String> wrongPassword = client.send("POST", "/api/workflows/" + workflow + "/messages",
                "{\"content\":\"Ship it\"}", SecuredApplication.USER, "guess");
        assertThat(wrongPassword.statusCode()).isEqualTo(401);
        assertThat(client.send("DELETE", "/api/workflows/" + workflow, null, null, null).statusCode()).isEqualTo(401);
        assertThat(client.send("GET", "/api/workflows/" + workflow + "/messages", null, null, null).statusCode())
                .isEqualTo(401);

        assertThat(messages.getMessages(workflow)).hasSize(before);
        assertThat(messages.getState(workflow).status()).isEqualTo(WorkflowStatus.RUNNING);
        assertThat(messages.getState(workflow).pauseRequestedAt()).isNull();
    }
}
