package dev.workflowthread.benchmarks;

import dev.workflowthread.WorkflowMessages;
import dev.workflowthread.jdbc.JdbcThreadStore;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * The agent's process of a cross-process benchmark. Arguments: the design ({@code library},
 * {@code option-a}, or {@value #STOP_TOKEN}: the library's loop whose steps wait on their stop
 * token, {@link AgentLoop#withStopToken}), the JDBC URL and the table prefix, and for the library woken by Redis, the
 * Redis channel. Commands on stdin: {@code run <id>}
 * starts an {@link AgentLoop} on the workflow (ending the previous one), {@code exit} (or the end
 * of stdin) ends the process. Each observation is one line on stdout: {@code <EVENT> <id> <nanos>},
 * the last its {@link System#nanoTime()} (see {@link WakePath}).
 */
public final class AgentProcess {

    /** The design whose loop's steps last until their stop token fires. */
    static final String STOP_TOKEN = "stop-token";

    private static final int WARM_UP_ROUNDS = Boolean.getBoolean("workflowthread.bench.smoke") ? 20 : 500;

    private AgentProcess() {
    }

    /**
     * Runs the library's whole path 500 times over (20 in a smoke run) before the benchmark
     * starts, in this JVM on the benchmark's own database (tables of their own,
     * {@code <prefix>warm_}), so that the driver's code is warm too: a host's orchestrator is a
     * long-running process, and JMH warms only the benchmark's own JVM. (Option A's loop needs
     * none: it reads the database at every checkpoint, so it runs its path thousands of times a
     * second through the warm-up iterations.)
     */
    private static void warmUp(String url, String benchmarkPrefix, boolean stopToken) {
        String prefix = benchmarkPrefix + "warm_";
        BenchDatabase.dropTables(url, prefix);
        try (JdbcThreadStore store = BenchDatabase.store(url, prefix, 4);
             WorkflowMessages messages = AgentLoop.service(store);
             AgentSide agent = AgentSide.inThisJvm(events -> id -> stopToken
                     ? AgentLoop.withStopToken(messages, id, events) : AgentLoop.library(messages, id, events))) {
            SenderAndAgent.Sender person = SenderAndAgent.library(messages);
            for (long id = 1; id <= WARM_UP_ROUNDS; id++) {
                person.start(id);
                agent.run(id);
                if (stopToken) {
                    agent.await(AgentLoop.Event.ARMED);
                    person.send(id, "urgent");
                    agent.await(AgentLoop.Event.STOPPED);
                    agent.await(AgentLoop.Event.ARMED);
                    person.send(id, "cancel");
                    agent.await(AgentLoop.Event.STOPPED);
                } else {
                    person.send(id, "pause");
                    agent.await(AgentLoop.Event.PAUSED);
                    person.send(id, "resume");
                    agent.await(AgentLoop.Event.RUNNING);
                    person.send(id, "cancel");
                }
                agent.await(AgentLoop.Event.CANCELLED);
            }
        }
    }

    public static void main(String[] args) throws IOException {
        String design = args[0];
        String url = args[1];
        String prefix = args[2];
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
        JdbcThreadStore store = null;
        WorkflowMessages messages = null;
        OptionABaseline baseline = null;
        boolean stopToken = design.equals(STOP_TOKEN);
        if (design.equals("library") || stopToken) {
            warmUp(url, prefix, stopToken);
            store = args.length > 3 ? BenchDatabase.storeWithRedis(url, prefix, 4, args[3])
                    : BenchDatabase.store(url, prefix, 4);
            messages = AgentLoop.service(store);
        } else {
            baseline = new OptionABaseline(url, prefix, 4, OptionABaseline.PLAN_UNPAUSE_POLL);
        }
        WorkflowMessages library = messages;
        OptionABaseline optionA = baseline;
        // The loops run as in the in-JVM benchmark; each observation is also printed for the parent.
        try (AgentSide agent = AgentSide.inThisJvm(events -> workflowId -> {
                 Consumer<AgentLoop.Event> report = event -> {
                     long at = System.nanoTime();
                     events.accept(event);
                     synchronized (out) {
                         out.print(event.name() + " " + workflowId + " " + at + "\n");
                         out.flush();
                     }
                 };
                 if (library == null) {
                     return AgentLoop.optionA(optionA, workflowId, report);
                 }
                 return stopToken ? AgentLoop.withStopToken(library, workflowId, report)
                         : AgentLoop.library(library, workflowId, report);
             });
             BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            String command;
            while ((command = commands.readLine()) != null && !command.equals("exit")) {
                agent.run(Long.parseLong(command.substring("run ".length())));
            }
        } finally {
            if (messages != null) {
                messages.close();
                store.close();
            }
            if (baseline != null) {
                baseline.close();
            }
        }
    }
}
