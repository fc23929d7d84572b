package dev.workflowthread.examples.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.workflowthread.WorkflowMessages;
import dev.workflowthread.examples.agents.Pace;
import dev.workflowthread.jdbc.JdbcThreadStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo keeps its threads in an H2 file: a restart shows them, and says what happened to runs it cut short. */
class DemoServerRestartTest {

    @Test
    void aRestartKeepsTheThreadsAndFailsTheRunsTheStopCutShort(@TempDir Path folder) {
        DemoServer.Settings settings = DemoServer.Settings.h2File(folder.resolve("workflows")).withPace(Pace.HUMAN);
        long id;
        List<JsonNode> before;
        Path workspaces;
        try (TestServer first = TestServer.start(settings)) {
            id = first.createWorkflow("Add a settings page to the dashboard");
            first.awaitMessage(id, "Scanning project: ");
            first.post("/api/workflows/" + id + "/messages", "{\"content\":\"Keep it small\"}");
            workspaces = first.server.workspaces();
            assertThat(workspaces.resolve("workflow-" + id + "/package.json")).exists();
            before = first.messages(id);
        }
        assertThat(workspaces).as("the agents' copies go with the server").doesNotExist();

        try (TestServer second = TestServer.start(settings)) {
            JsonNode workflow = second.workflow(id);
            assertThat(workflow.get("task_description").asText()).isEqualTo("Add a settings page to the dashboard");
            assertThat(workflow.get("status").asText()).isEqualTo("failed");
            assertThat(workflow.get("status_reason").asText()).isEqualTo(WorkflowRunner.SERVER_STOPPED);
            List<JsonNode> after = second.messages(id);
            assertThat(after.subList(0, before.size())).extracting(m -> m.get("id").asLong() + " " + m.get("content").asText())
                    .containsExactlyElementsOf(before.stream().map(m -> m.get("id").asLong() + " " + m.get("content").asText()).toList());
            assertThat(after.get(after.size() - 1).get("content").asText())
                    .isEqualTo("Workflow failed: " + WorkflowRunner.SERVER_STOPPED);
        }
    }

    @Test
    void aStoppingServerTellsItsWebSocketClientsWhyTheirWorkflowsStopped(@TempDir Path folder) {
        DemoServer.Settings settings = DemoServer.Settings.h2File(folder.resolve("workflows")).withPace(Pace.HUMAN);
        TestServer server = TestServer.start(settings);
        SocketClient client = null;
        try {
            long id = server.createWorkflow("Add a settings page to the dashboard");
            client = new SocketClient(server);
            client.subscribe(id, 0);
            client.next("message:new");
            server.close();
            // Sent before the server closed the connection.
            JsonNode failed = client.next("workflow:failed");
            assertThat(failed.get("workflowId").asLong()).isEqualTo(id);
            assertThat(client.received()).anyMatch(text -> text.path("event").asText().equals("message:new")
                    && text.get("message").get("content").asText().equals("Workflow failed: " + WorkflowRunner.SERVER_STOPPED));
        } finally {
            if (client != null) {
                client.close();
            }
            server.close();
        }
    }

    @Test
    void aWorkflowLeftRunningByACrashIsFailedAtTheNextStart(@TempDir Path folder) throws Exception {
        DemoServer.Settings settings = DemoServer.Settings.h2File(folder.resolve("workflows"));
        // What a crashed server leaves: a host row and a running thread, and nobody working on it.
        try (JdbcThreadStore store = JdbcThreadStore.builder().url(settings.databaseUrl()).build();
             WorkflowMessages messages = WorkflowMessages.create(store)) {
            Jdbi jdbi = Jdbi.create(settings.databaseUrl());
            long id = new HostWorkflows(jdbi, Clock.systemUTC()).create("Left behind", null).id();
            messages.start(id);
            messages.narrator(id, "plan", null).say("Reading file: package.json");
        }
        assertThat(Files.exists(folder.resolve("workflows.mv.db"))).isTrue();

        try (TestServer server = TestServer.start(settings)) {
            JsonNode workflow = server.get("/api/workflows").json().get("workflows").get(0);
            assertThat(workflow.get("task_description").asText()).isEqualTo("Left behind");
            assertThat(workflow.get("status").asText()).isEqualTo("failed");
        }
    }

    @Test
    void aDatabaseOfAnEarlierDemoGainsTheColumnOfWhoStartedAWorkflow(@TempDir Path folder) {
        DemoServer.Settings settings = DemoServer.Settings.h2File(folder.resolve("workflows"));
        // The host table as a demo from before it knew who starts workflows made it, with one finished workflow.
        try (JdbcThreadStore store = JdbcThreadStore.builder().url(settings.databaseUrl()).build();
             WorkflowMessages messages = WorkflowMessages.create(store)) {
            long id = Jdbi.create(settings.databaseUrl()).withHandle(handle -> {
                handle.execute("""
                        CREATE TABLE demo_workflows (
                          id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
                          task_description CHARACTER VARYING(8000) NOT NULL,
                          created_at TIMESTAMP(3) WITH TIME ZONE NOT NULL,
                          redirected_from BIGINT NULL,
                          redirect_message_id BIGINT NULL UNIQUE
                        )""");
                return handle.createUpdate("INSERT INTO demo_workflows (task_description, created_at)"
                        + " VALUES ('From before', CURRENT_TIMESTAMP)").executeAndReturnGeneratedKeys("id")
                        .mapTo(Long.class).one();
            });
            messages.start(id);
            messages.complete(id, "done");
        }

        try (TestServer server = TestServer.start(settings)) {
            JsonNode workflow = server.get("/api/workflows").json().get("workflows").get(0);
            assertThat(workflow.get("task_description").asText()).isEqualTo("From before");
            assertThat(workflow.get("started_by").isNull()).as("nobody recorded").isTrue();
            long id = workflow.get("workflow_id").asLong();
            assertThat(server.post("/api/workflows/" + id + "/messages", "{\"content\":\"Still readable\"}").status())
                    .isEqualTo(201);
            // A new workflow beside it records its starter.
            long created = server.createWorkflow("After the upgrade");
            assertThat(server.workflow(created).get("started_by").asText()).isEqualTo(server.visitor());
        }
    }
}
