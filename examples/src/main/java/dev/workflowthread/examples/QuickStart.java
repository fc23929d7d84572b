package dev.workflowthread.examples;

import dev.workflowthread.Message;
import dev.workflowthread.RedirectHandler;
import dev.workflowthread.Subscription;
import dev.workflowthread.WorkflowMessages;
import dev.workflowthread.WorkflowStatus;
import dev.workflowthread.WorkflowThreadConfig;
import dev.workflowthread.WorkflowState;
import dev.workflowthread.inmemory.InMemoryThreadStore;
import dev.workflowthread.jdbc.JdbcThreadStore;
import dev.workflowthread.spi.ThreadStore;
import dev.workflowthread.examples.agents.DemoOrchestrator;
import dev.workflowthread.examples.agents.Pace;
import dev.workflowthread.examples.agents.SimulatedAgents;
import dev.workflowthread.examples.agents.Workspace;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The quick start: one workflow, its live thread, and a person who steps in. Needs no set-up.
 *
 * <p>A simulated orchestrator ({@link DemoOrchestrator}) runs the demo's six agents
 * ({@link SimulatedAgents}, on a copy of a sample project in a temporary folder, at full speed) on
 * "Add a settings page to the dashboard"; every agent narrates what it does, and the loop calls
 * {@code guard.check()} between every two steps. A scripted person ({@link ScriptedUser}), on
 * another thread and watching the thread through a listener, pauses the workflow, adds context
 * while it is paused, resumes it, and later, while the code agent works, redirects it to a new
 * task. The host's {@link RedirectHandler} creates the new workflow, which then runs to the end.
 * Finally both threads are printed one line per message, {@code [Agent Comment] …}, {@code [User Message] …}
 * and {@code [System] …}.
 *
 * <p>The threads are kept in an embedded H2 database file, so a second run finds the first run's
 * history there and says so. {@code --in-memory} keeps them in memory instead; {@code --db=PATH}
 * names another file.
 *
 * <p>Run it with {@code ./mvnw -q -pl examples -am compile exec:java
 * -Dexec.mainClass=dev.workflowthread.examples.QuickStart}. (Without {@code -Dexec.mainClass}, the
 * same command starts the demo server, {@link dev.workflowthread.examples.server.DemoServer}.)
 */
public final class QuickStart {

    /** The host's id of the workflow the first run starts with; each later run adds {@link #RUN_STRIDE}. */
    public static final long WORKFLOW_ID = 42;
    /** How far apart the workflow ids of two runs are; a redirect adds {@link #REDIRECT_OFFSET}. */
    public static final long RUN_STRIDE = 2000;
    /** The id the host's redirect handler gives the new workflow: the original's plus this. */
    public static final long REDIRECT_OFFSET = 1000;
    /** The system property that names the database file; the examples' pom sets it under target/. */
    public static final String DATABASE_PROPERTY = "workflowthread.quickstart.db";
    /** What it is asked to do. */
    public static final String TASK = "Add a settings page to the dashboard";
    /** What the person redirects it to. */
    public static final String NEW_TASK =
            "Add a settings page to the dashboard, opened from a dropdown menu instead of a button";

    private QuickStart() {
    }

    /** Arguments: none (an H2 file), {@code --in-memory}, or {@code --db=PATH}. */
    public static void main(String[] args) throws InterruptedException {
        Path database = Path.of(System.getProperty(DATABASE_PROPERTY, "workflow-thread-quickstart/thread"));
        boolean inMemory = false;
        for (String arg : args) {
            if (arg.equals("--in-memory")) {
                inMemory = true;
            } else if (arg.startsWith("--db=")) {
                database = Path.of(arg.substring("--db=".length()));
            } else {
                System.err.println("unknown argument " + arg + "; use --in-memory or --db=PATH");
                System.exit(2);
            }
        }
        if (inMemory) {
            try (InMemoryThreadStore store = InMemoryThreadStore.create()) {
                run(System.out, store);
            }
        } else {
            try (JdbcThreadStore store = h2File(database)) {
                System.out.println("Keeping the thread in the H2 database " + database.toAbsolutePath() + ".mv.db"
                        + " (--in-memory keeps nothing)");
                System.out.println();
                run(System.out, store);
            }
        }
    }

    /** A JDBC store in an embedded H2 database file; the store owns its pool. */
    static JdbcThreadStore h2File(Path database) {
        return JdbcThreadStore.builder().url("jdbc:h2:file:" + database.toAbsolutePath()).build();
    }

    /** Runs the demo on an in-memory store and returns what it prints. */
    public static String run() throws InterruptedException {
        try (InMemoryThreadStore store = InMemoryThreadStore.create()) {
            return run(store);
        }
    }

    /** Runs the demo on {@code store} and returns what it prints. */
    public static String run(ThreadStore store) throws InterruptedException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
            run(out, store);
        }
        return buffer.toString(StandardCharsets.UTF_8);
    }

    /** Runs the demo on {@code store} and prints the threads to {@code out}. */
    public static void run(PrintStream out, ThreadStore store) throws InterruptedException {
        long workflowId = WORKFLOW_ID;
        int earlierRuns = 0;
        while (store.findState(workflowId).isPresent()) {
            earlierRuns++;
            workflowId += RUN_STRIDE;
        }

        // The host's own "workflows" table, reduced to a map: id -> task.
        Map<Long, String> hostWorkflows = new ConcurrentHashMap<>();
        hostWorkflows.put(workflowId, TASK);
        RedirectHandler createWorkflow = request -> {
            long newId = request.originalWorkflowId() + REDIRECT_OFFSET;
            hostWorkflows.putIfAbsent(newId, request.newTaskDescription()); // idempotent on a retry
            return newId;
        };

        WorkflowThreadConfig config = WorkflowThreadConfig.builder()
                .redirectHandler(createWorkflow)
                // A demo that goes wrong should not sit paused for the default 30 minutes.
                .pauseTimeout(Duration.ofSeconds(20))
                .build();

        try (WorkflowMessages messages = WorkflowMessages.create(store, config)) {
            if (earlierRuns > 0) {
                printHistory(out, messages, earlierRuns, workflowId - RUN_STRIDE);
            }
            messages.start(workflowId);
            DemoOrchestrator.Outcome first;
            ScriptedUser user = new ScriptedUser(messages, workflowId, NEW_TASK);
            Subscription watching = messages.subscribe(workflowId, 0, user);
            Path workspaces = Files.createTempDirectory("workflow-thread-quickstart-");
            try (user; watching) {
                user.start();
                first = new DemoOrchestrator(messages, user).run(workflowId, TASK,
                        sampleProject(workspaces, workflowId), SimulatedAgents.pipeline(Pace.INSTANT));
                user.awaitFinished();

                printThread(out, messages, first, hostWorkflows.get(workflowId));

                if (first.status() == WorkflowStatus.REDIRECTED) {
                    long newId = first.newWorkflowId();
                    DemoOrchestrator.Outcome second = new DemoOrchestrator(messages, DemoOrchestrator.CheckpointObserver.NONE)
                            .run(newId, hostWorkflows.get(newId), sampleProject(workspaces, newId),
                                    SimulatedAgents.pipeline(Pace.INSTANT));
                    out.println();
                    printThread(out, messages, second, hostWorkflows.get(newId));
                }
            } finally {
                Workspace.delete(workspaces);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make a folder for the sample project", e);
        }
    }

    private static Path sampleProject(Path workspaces, long workflowId) {
        return Workspace.createSampleProject(workspaces.resolve("workflow-" + workflowId)).root();
    }

    /** What earlier runs left in the store: the last one's workflow, read back from the database. */
    private static void printHistory(PrintStream out, WorkflowMessages messages, int earlierRuns, long lastWorkflowId) {
        WorkflowState last = messages.getState(lastWorkflowId);
        List<Message> thread = messages.getMessages(lastWorkflowId);
        out.println("This store already holds " + earlierRuns + " earlier run" + (earlierRuns == 1 ? "" : "s")
                + ". The last one's workflow #" + lastWorkflowId + " ended " + last.status().wireName()
                + (last.redirectedTo() == null ? "" : " to #" + last.redirectedTo()) + " after " + thread.size()
                + " messages; it began:");
        thread.stream().limit(3).forEach(message -> out.println("  " + format(message)));
        out.println("  ...");
        out.println();
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

    /** One message as a line: {@code [Agent Comment] …}, {@code [User Message] …}, {@code [System] …}. */
    static String format(Message message) {
        String label = switch (message.messageType()) {
            case AGENT -> "[Agent Comment]";
            case USER -> "[User Message]";
            case SYSTEM -> "[System]";
        };
        return label + " " + message.content();
    }
}
