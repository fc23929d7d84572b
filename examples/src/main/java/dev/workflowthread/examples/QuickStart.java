package dev.workflowthread.examples;

import dev.workflowthread.Message;
import dev.workflowthread.RedirectHandler;
import dev.workflowthread.Subscription;
import dev.workflowthread.WorkflowMessages;
import dev.workflowthread.WorkflowStatus;
import dev.workflowthread.WorkflowThreadConfig;
import dev.workflowthread.inmemory.InMemoryThreadStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The quick start: one workflow, its live thread, and a person who steps in. Needs no set-up.
 *
 * <p>A simulated orchestrator ({@link DemoOrchestrator}) runs the plan's six agents on "Add a
 * settings page to the dashboard"; every agent narrates what it does, and the loop calls
 * {@code guard.check()} between every two steps. A scripted person ({@link ScriptedUser}), on
 * another thread and watching the thread through a listener, pauses the workflow, adds context
 * while it is paused, resumes it, and later, while the code agent works, redirects it to a new
 * task. The host's {@link RedirectHandler} creates the new workflow, which then runs to the end.
 * Finally both threads are printed in the plan's format.
 *
 * <p>Run it with {@code ./mvnw -q -pl examples exec:java}.
 */
public final class QuickStart {

    /** The host's id of the workflow the demo starts with. */
    public static final long WORKFLOW_ID = 42;
    /** What it is asked to do. */
    public static final String TASK = "Add a settings page to the dashboard";
    /** What the person redirects it to. */
    public static final String NEW_TASK =
            "Add a settings page to the dashboard, opened from a dropdown menu instead of a button";

    private QuickStart() {
    }

    public static void main(String[] args) throws InterruptedException {
        run(System.out);
    }

    /** Runs the demo and returns what it prints. */
    public static String run() throws InterruptedException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
            run(out);
        }
        return buffer.toString(StandardCharsets.UTF_8);
    }

    /** Runs the demo and prints the threads to {@code out}. */
    public static void run(PrintStream out) throws InterruptedException {
        // The host's own "workflows" table, reduced to a map: id -> task.
        Map<Long, String> hostWorkflows = new ConcurrentHashMap<>();
        hostWorkflows.put(WORKFLOW_ID, TASK);
        RedirectHandler createWorkflow = request -> {
            long newId = request.originalWorkflowId() + 1000;
            hostWorkflows.putIfAbsent(newId, request.newTaskDescription()); // idempotent on a retry
            return newId;
        };

        WorkflowThreadConfig config = WorkflowThreadConfig.builder()
                .redirectHandler(createWorkflow)
                // A demo that goes wrong should not sit paused for the default 30 minutes.
                .pauseTimeout(Duration.ofSeconds(20))
                .build();

        try (InMemoryThreadStore store = InMemoryThreadStore.create();
             WorkflowMessages messages = WorkflowMessages.create(store, config)) {

            messages.start(WORKFLOW_ID);
            DemoOrchestrator.Outcome first;
            ScriptedUser user = new ScriptedUser(messages, WORKFLOW_ID, NEW_TASK);
            Subscription watching = messages.subscribe(WORKFLOW_ID, 0, user);
            try (user; watching) {
                user.start();
                first = new DemoOrchestrator(messages, user).run(WORKFLOW_ID, TASK);
                user.awaitFinished();
            }

            printThread(out, messages, first, hostWorkflows.get(WORKFLOW_ID));

            if (first.status() == WorkflowStatus.REDIRECTED) {
                long newId = first.newWorkflowId();
                DemoOrchestrator.Outcome second = new DemoOrchestrator(messages, DemoOrchestrator.Pacing.LATENCY_ONLY)
                        .run(newId, hostWorkflows.get(newId));
                out.println();
                printThread(out, messages, second, hostWorkflows.get(newId));
            }
        }
    }

    private static void printThread(PrintStream out, WorkflowMessages messages, DemoOrchestrator.Outcome outcome,
                                    String task) {
        String ending = outcome.status() == WorkflowStatus.REDIRECTED
                ? "redirected to new workflow #" + outcome.newWorkflowId()
                : outcome.status().wireName();
        out.println("=== Workflow #" + outcome.workflowId() + ": " + task + " (" + ending + ") ===");
        for (Message message : messages.getMessages(outcome.workflowId())) {
            out.println(format(message));
        }
    }

    /** One message in the plan's format: {@code [Agent Comment] …}, {@code [User Message] …}, {@code [System] …}. */
    static String format(Message message) {
        String label = switch (message.messageType()) {
            case AGENT -> "[Agent Comment]";
            case USER -> "[User Message]";
            case SYSTEM -> "[System]";
        };
        return label + " " + message.content();
    }
}
