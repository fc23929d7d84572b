package dev.workflowthread.benchmarks;

import dev.workflowthread.WorkflowMessages;
import dev.workflowthread.jdbc.JdbcThreadStore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * The agent's process of a cross-process benchmark. Arguments: the design ({@code library} or
 * {@code option-a}), the JDBC URL and the table prefix. Commands on stdin: {@code run <id>}
 * starts an {@link AgentLoop} on the workflow (ending the previous one), {@code exit} (or the end
 * of stdin) ends the process. Each observation is one line on stdout: {@code <EVENT> <id>}.
 */
public final class AgentProcess {

    private AgentProcess() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        String design = args[0];
        String url = args[1];
        String prefix = args[2];
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false,
                StandardCharsets.UTF_8);
        JdbcThreadStore store = null;
        WorkflowMessages messages = null;
        OptionABaseline baseline = null;
        if (design.equals("library")) {
            store = BenchDatabase.store(url, prefix, 4);
            messages = WorkflowMessages.create(store);
        } else {
            baseline = new OptionABaseline(url, prefix, 4, OptionABaseline.PLAN_UNPAUSE_POLL);
        }
        AgentLoop loop = null;
        Thread thread = null;
        try (BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            String command;
            while ((command = commands.readLine()) != null && !command.equals("exit")) {
                long workflowId = Long.parseLong(command.substring("run ".length()));
                if (loop != null) {
                    loop.stop();
                    thread.interrupt();
                    thread.join(Duration.ofSeconds(30).toMillis());
                }
                Consumer<AgentLoop.Event> report = event -> {
                    synchronized (out) {
                        out.print(event.name() + " " + workflowId + "\n");
                        out.flush();
                    }
                };
                loop = messages != null
                        ? AgentLoop.library(messages, workflowId, report)
                        : AgentLoop.optionA(baseline, workflowId, report);
                thread = new Thread(loop, "agent-loop-" + workflowId);
                thread.setDaemon(true);
                thread.start();
            }
        } finally {
            if (loop != null) {
                loop.stop();
                thread.interrupt();
            }
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
