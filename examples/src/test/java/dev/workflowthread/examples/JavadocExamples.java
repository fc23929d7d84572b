package dev.workflowthread.examples;

import dev.workflowthread.AgentNarrator;
import dev.workflowthread.Checkpoint;
import dev.workflowthread.CheckpointGuard;
import dev.workflowthread.Message;
import dev.workflowthread.SendPolicy;
import dev.workflowthread.StopToken;
import dev.workflowthread.WorkflowMessages;
import dev.workflowthread.WorkflowThreadConfig;
import dev.workflowthread.inmemory.InMemoryThreadStore;
import dev.workflowthread.jdbc.JdbcThreadStore;
import dev.workflowthread.json.WireFormat;
import dev.workflowthread.spi.Backoff;
import dev.workflowthread.web.SocketSender;
import dev.workflowthread.web.SocketSession;
import dev.workflowthread.web.ThreadRestHandler;
import dev.workflowthread.web.ThreadSockets;
import dev.workflowthread.web.WebRequest;
import dev.workflowthread.web.WebResponse;
import dev.workflowthread.web.WorkflowHost;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * The code examples of the published modules' Javadoc, compiled: each sits between a
 * {@code JAVADOC-BEGIN name} and a {@code JAVADOC-END name} comment, and {@link JavadocExamplesTest}
 * checks that the Javadoc shows the same lines and runs them. The methods' parameters and the small
 * types below stand for what a host has around the example.
 */
final class JavadocExamples {
    private JavadocExamples() {
    }

    /** What a host has: its own workflows table, its users, its sockets. */
    interface Host {
        long createWorkflow(dev.workflowthread.RedirectRequest request);
    }

    interface Owners {
        boolean isOwner(long workflowId, String author);
    }

    interface Socket {
        void send(String text);
    }

    static WorkflowMessages workflowMessages(Host host, long workflowId) {
        // JAVADOC-BEGIN WorkflowMessages
        WorkflowMessages messages = WorkflowMessages.create(InMemoryThreadStore.create(),
                WorkflowThreadConfig.builder().redirectHandler(host::createWorkflow).build());
        messages.start(workflowId);
        CheckpointGuard guard = messages.guard(workflowId);   // hand to the agent loop
        messages.pause(workflowId, "Adding a requirement");   // from the web app
        // JAVADOC-END WorkflowMessages
        guard.agentStarting("plan", "planning");
        return messages;
    }

    static void checkpointGuard(CheckpointGuard guard, Consumer<String> ran) throws InterruptedException {
        // JAVADOC-BEGIN CheckpointGuard
        for (String agent : List.of("plan", "code", "test")) {
            Checkpoint checkpoint = guard.check();          // blocks while paused; throws on cancel/redirect
            for (Message instruction : checkpoint.instructions()) {
                guard.acknowledge(instruction, "Acknowledged user context - " + instruction.content());
            }
            guard.agentStarting(agent, "working on the task");
            runAgent(agent, checkpoint.messages());
            guard.agentCompleted(agent, "done", null);
        }
        // JAVADOC-END CheckpointGuard
        ran.accept("all");
    }

    private static void runAgent(String agent, List<Message> messages) {
        // the agent's own work
    }

    /** A model client with an asynchronous call, for StopToken's example. */
    interface AsyncModel {
        java.util.concurrent.CompletableFuture<String> generateAsync(String prompt);
    }

    static String stopToken(CheckpointGuard guard, AsyncModel model, String prompt) throws InterruptedException {
        // JAVADOC-BEGIN StopToken
        Checkpoint checkpoint = guard.check();
        StopToken token = guard.stopToken();
        CompletableFuture<String> answer = model.generateAsync(prompt);
        token.onStop(reason -> answer.cancel(true));     // cut the model call short
        String text = answer.join();                      // throws CancellationException when cut short
        // JAVADOC-END StopToken
        return text + checkpoint.messages().size();
    }

    static void agentNarrator(CheckpointGuard guard, Long executionId) {
        // JAVADOC-BEGIN AgentNarrator
        AgentNarrator code = guard.narrator("code", executionId);
        code.readingFile("src/index.ts");             // Reading file: src/index.ts
        code.writingFile("Button.tsx", 1234);         // Writing file: Button.tsx (1234 bytes)
        code.callingModel("code generation");         // Calling AI model for code generation...
        code.buildResult(true);                       // Build verification: PASSED
        // JAVADOC-END AgentNarrator
    }

    static WorkflowThreadConfig sendPolicy(Owners owners) {
        // JAVADOC-BEGIN SendPolicy
        // anyone may comment or instruct; only the workflow's owner may pause, resume, cancel or redirect it
        SendPolicy policy = (state, request) -> !request.actionType().isControl()
                || owners.isOwner(state.workflowId(), request.author())
                ? SendPolicy.Decision.allow()
                : SendPolicy.Decision.deny("only the owner of workflow " + state.workflowId() + " may "
                        + request.actionType().wireName() + " it");
        WorkflowThreadConfig config = WorkflowThreadConfig.builder().sendPolicy(policy).build();
        // JAVADOC-END SendPolicy
        return config;
    }

    static void wireFormat(WorkflowMessages messages, long workflowId, long lastSeenSeq, Socket socket) {
        // JAVADOC-BEGIN WireFormat
        messages.subscribe(workflowId, lastSeenSeq, event -> socket.send(WireFormat.event(event)));
        // JAVADOC-END WireFormat
    }

    static Duration backoff(int failuresInARow) {
        // JAVADOC-BEGIN Backoff
        Backoff backoff = Backoff.exponential(Duration.ofMillis(50), Duration.ofSeconds(2));
        Duration wait = backoff.delay(failuresInARow); // 25-50 ms, then 50-100 ms, ... at most 2 s
        // JAVADOC-END Backoff
        return wait;
    }

    static WorkflowMessages jdbcThreadStore(DataSource hostDataSource, WorkflowThreadConfig config) {
        // JAVADOC-BEGIN JdbcThreadStore
        JdbcThreadStore store = JdbcThreadStore.builder()
                .dataSource(hostDataSource)      // or .url("jdbc:postgresql://...") to get a pool of its own
                .tablePrefix("wt_")              // optional
                .build();                        // creates the tables that are missing
        WorkflowMessages messages = WorkflowMessages.create(store, config);
        // JAVADOC-END JdbcThreadStore
        return messages;
    }

    static WebResponse threadRestHandler(WorkflowMessages messages, WorkflowHost host, WebRequest request) {
        // JAVADOC-BEGIN ThreadRestHandler
        ThreadRestHandler rest = ThreadRestHandler.builder(messages, host).prefix("/api").build();
        WebResponse response = rest.handle(request);
        // JAVADOC-END ThreadRestHandler
        return response;
    }

    static void threadSockets(WorkflowMessages messages, WorkflowHost host, SocketSender sender, String text) {
        // JAVADOC-BEGIN ThreadSockets
        ThreadSockets sockets = ThreadSockets.builder(messages, host).build();
        // when a connection opens
        SocketSession session = sockets.open(sender);   // sender: sends texts on that connection
        // for each text frame it receives
        session.onText(text);
        // when it closes
        session.onClose();
        // JAVADOC-END ThreadSockets
    }
}
