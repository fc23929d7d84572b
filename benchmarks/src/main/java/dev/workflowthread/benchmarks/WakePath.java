package dev.workflowthread.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * Where the time of a wake-up across processes goes, stage by stage, beside JMH's figure of the
 * whole: each process stamps its moments with {@link System#nanoTime()}, which on Linux reads the
 * same monotonic clock in every process of the machine, so the agent's JVM can say when it obeyed
 * and the benchmark's JVM can take the pipe hop apart from the library's own time.
 *
 * <p>Samples are kept for one trial (the measured iterations only, see {@link #measuring}) and
 * written, when the system property {@value #OUTPUT} names a file, as one JSON line per trial:
 * the benchmark, its parameters, and each stage's median and p99 in microseconds.
 * {@link ResultsTable} prints them.
 */
final class WakePath {

    /** The system property naming the file the trials append to ({@code benchmarks/run} sets it). */
    static final String OUTPUT = "wt.bench.wakePath";

    /** The send's call in the person's JVM, from the call until it returned. */
    static final String SEND = "send call";
    /** From the send's call until the agent's JVM obeyed: the library's own time, no pipe. */
    static final String OBEYED = "send to obeyed in the agent's JVM";
    /** From the agent's JVM obeying until the benchmark read its line: the pipe hop. */
    static final String PIPE = "obeyed to read by the benchmark (pipe)";
    /** From the pause's commit until the {@code workflow:paused} event reached a listener in the agent's JVM. */
    static final String PAUSE_EVENT = "pause committed to workflow:paused delivered, agent's JVM";

    private final Map<String, long[]> samples = new LinkedHashMap<>();
    private final Map<String, Integer> counts = new LinkedHashMap<>();
    private boolean measuring;

    /** Keeps the samples of the iteration about to run only when it is measured (not a warm-up). */
    void starting(IterationParams iteration) {
        measuring = iteration.getType() == IterationType.MEASUREMENT;
    }

    /**
     * One wake-up's stages, from the {@link System#nanoTime()} of the send's call, of its return,
     * of the agent's JVM obeying, and of the benchmark reading that.
     */
    void recordWakeUp(long sendCalled, long sendReturned, long obeyed, long read) {
        record(SEND, sendReturned - sendCalled);
        record(OBEYED, obeyed - sendCalled);
        record(PIPE, read - obeyed);
    }

    /** One sample of {@code stage}, in nanoseconds; a negative one (clocks out of order) is not kept. */
    void record(String stage, long nanos) {
        if (!measuring || nanos < 0) {
            return;
        }
        long[] kept = samples.computeIfAbsent(stage, s -> new long[1024]);
        int count = counts.getOrDefault(stage, 0);
        if (count == kept.length) {
            kept = Arrays.copyOf(kept, count * 2);
            samples.put(stage, kept);
        }
        kept[count] = nanos;
        counts.put(stage, count + 1);
    }

    /** The median and p99 of a stage in microseconds, and its sample count; null when it has none. */
    double[] summary(String stage) {
        Integer count = counts.get(stage);
        if (count == null || count == 0) {
            return null;
        }
        long[] sorted = Arrays.copyOf(samples.get(stage), count);
        Arrays.sort(sorted);
        return new double[] {percentile(sorted, 0.50) / 1_000.0, percentile(sorted, 0.99) / 1_000.0, count};
    }

    private static long percentile(long[] sorted, double fraction) {
        int index = (int) Math.ceil(fraction * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    /** Appends this trial's stages to the file {@value #OUTPUT} names, if it names one, and starts over. */
    void write(BenchmarkParams params) {
        String file = System.getProperty(OUTPUT);
        if (file != null && !counts.isEmpty()) {
            ObjectMapper json = new ObjectMapper();
            ObjectNode line = json.createObjectNode();
            line.put("benchmark", params.getBenchmark());
            ObjectNode declared = line.putObject("params");
            for (String key : params.getParamsKeys()) {
                declared.put(key, params.getParam(key));
            }
            ObjectNode stages = line.putObject("stages");
            for (String stage : counts.keySet()) {
                double[] summary = summary(stage);
                ObjectNode figures = stages.putObject(stage);
                figures.put("median", summary[0]);
                figures.put("p99", summary[1]);
                figures.put("samples", (long) summary[2]);
            }
            try {
                Files.writeString(Path.of(file), json.writeValueAsString(line) + "\n", StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the wake path to " + file, e);
            }
        }
        samples.clear();
        counts.clear();
    }
}
