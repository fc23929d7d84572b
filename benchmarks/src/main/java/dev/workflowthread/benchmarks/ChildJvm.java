package dev.workflowthread.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A second process of a benchmark: a JVM with the benchmark's class path running {@code main},
 * spoken to by lines on its stdin and stdout (its stderr goes to the benchmark's). It ends when
 * its stdin closes.
 */
final class ChildJvm implements AutoCloseable {
    private final Process process;
    private final BufferedReader output;
    private final Writer input;

    ChildJvm(Class<?> main, String... arguments) {
        // Surefire (the smoke run) puts the class path in a property of its own.
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-XX:+UseSerialGC",
                // a smoke run's child is brief too
                "-Dworkflowthread.bench.smoke=" + Boolean.getBoolean("workflowthread.bench.smoke"),
                "-cp", classpath, main.getName()));
        command.addAll(List.of(arguments));
        try {
            process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + main.getSimpleName(), e);
        }
        output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        input = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    }

    /** Sends one line. */
    void send(String line) {
        try {
            input.write(line + "\n");
            input.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("the child process is gone", e);
        }
    }

    /** The next line it printed; fails when it ended. */
    String readLine() {
        try {
            String line = output.readLine();
            if (line == null) {
                throw new IllegalStateException("the child process ended (exit code "
                        + (process.isAlive() ? "none yet" : process.exitValue()) + ")");
            }
            return line;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the child process", e);
        }
    }

    /** Reads lines until one equals {@code expected}. */
    void awaitLine(String expected) {
        while (!readLine().equals(expected)) {
            // an earlier line, not awaited
        }
    }

    /** Closes its stdin and waits for it to end, killing it after 10 s. */
    @Override
    public void close() {
        try {
            input.close();
        } catch (IOException e) {
            // it is gone already
        }
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
