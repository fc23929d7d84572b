package dev.workflowthread.jdbc;

import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A {@link CrossProcessWorker} (or another main class) in a JVM of its own, and what it reported;
 * public for the tests of the modules built on this one.
 */
public final class WorkerProcess implements AutoCloseable {
    private final String name;
    private final Process process;
    private final List<String> reports = new CopyOnWriteArrayList<>();
    private final Thread reader;

    private WorkerProcess(String name, Process process) {
        this.name = name;
        this.process = process;
        this.reader = new Thread(this::readOutput, name + "-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts a {@link CrossProcessWorker}. */
    static WorkerProcess start(String name, TestDatabase database, String prefix, String mode, Duration lease,
                               Duration poll, int threads, List<Long> workflows) {
        return start(name, CrossProcessWorker.class, database.url(), prefix, mode, String.valueOf(lease.toMillis()),
                String.valueOf(poll.toMillis()), String.valueOf(threads), ids(workflows));
    }

    /** Starts a {@link CrossProcessWorker} whose store reads other processes' changes every {@code changePoll}. */
    static WorkerProcess start(String name, TestDatabase database, String prefix, String mode, Duration lease,
                               Duration poll, Duration changePoll, List<Long> workflows) {
        return start(name, CrossProcessWorker.class, database.url(), prefix, mode, String.valueOf(lease.toMillis()),
                String.valueOf(poll.toMillis()), String.valueOf(workflows.size()), ids(workflows),
                String.valueOf(changePoll.toMillis()));
    }

    /** Starts {@code main} in a JVM of its own, with the test's own classpath. */
    public static WorkerProcess start(String name, Class<?> main, String... args) {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", classpath, main.getName()));
        command.addAll(List.of(args));
        try {
            return new WorkerProcess(name, new ProcessBuilder(command).redirectErrorStream(true).start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start worker " + name, e);
        }
    }

    /** Workflow ids as one argument. */
    static String ids(List<Long> workflows) {
        return workflows.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    /** Workflow ids from one argument. */
    static List<Long> ids(String argument) {
        return Arrays.stream(argument.split(",")).map(Long::valueOf).toList();
    }

    private void readOutput() {
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.startsWith("WT ")) {
                    reports.add(line.substring(3));
                } else {
                    System.out.println("[" + name + "] " + line);
                }
            }
        } catch (IOException e) {
            // The process was killed; what it said before is kept.
        }
    }

    /** What the worker reported so far (its lines that start with {@code WT }, without that). */
    public List<String> reports() {
        return List.copyOf(reports);
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public void awaitReady() {
        await().atMost(Duration.ofSeconds(60)).until(() -> reports.contains("READY") || !process.isAlive());
        if (!reports.contains("READY")) {
            throw new IllegalStateException("worker " + name + " exited before it was ready: " + reports);
        }
    }

    /** Waits for the worker to report DONE and exit. */
    public void awaitDone(Duration atMost) throws InterruptedException {
        if (!process.waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("worker " + name + " did not finish within " + atMost);
        }
        reader.join(10_000);
        if (!reports.contains("DONE")) {
            throw new IllegalStateException("worker " + name + " exited with " + process.exitValue()
                    + " without DONE: " + failures());
        }
    }

    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
        reader.join(10_000);
    }

    /** The ids of the messages its checkpoints handed over, once per hand-over. */
    List<Long> handed() {
        return reports.stream().filter(line -> line.startsWith("HANDED "))
                .map(line -> Long.valueOf(line.split(" ")[2])).toList();
    }

    public List<String> failures() {
        return reports.stream().filter(line -> line.startsWith("FAILED")).toList();
    }

    @Override
    public String toString() {
        return "worker " + name;
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
