package dev.workflowthread.benchmarks;

import dev.dbos.transact.DBOSClient;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;

/**
 * The peer: DBOS Transact's cross-process message latency on the same PostgreSQL. This JVM sends
 * with {@link DBOSClient#send}; a child JVM ({@link DbosReceiver}) runs a DBOS workflow blocked in
 * {@code recv}, woken by DBOS's own {@code LISTEN/NOTIFY} (a trigger on its notifications table),
 * and prints what it got. The time runs from the send to reading that line, one pipe hop
 * included, as in {@link CrossProcessSendToObservedBenchmark}; the {@link WakePath} takes the hop
 * apart. DBOS keeps its tables in the
 * schema {@code wt_bench_dbos}.
 */
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class DbosSendRecvBenchmark {

    private static final String SCHEMA = "wt_bench_dbos";
    private static final String TOPIC = "control";
    private static final int WARM_UP_MESSAGES = Boolean.getBoolean("workflowthread.bench.smoke") ? 10 : 1_000;

    private final WakePath path = new WakePath();
    private ChildJvm receiver;
    private DBOSClient client;
    private String workflowId;
    private long sent;

    @Setup
    public void open() {
        String url = BenchDatabase.POSTGRESQL.url();
        String plainUrl = url.replaceAll("\\?.*", "");
        Map<String, String> parameters = parameters(url);
        String user = parameters.getOrDefault("user", "postgres");
        String password = parameters.getOrDefault("password", "");
        workflowId = "benchmark-" + UUID.randomUUID();
        receiver = new ChildJvm(DbosReceiver.class, plainUrl, user, password, SCHEMA, workflowId, TOPIC);
        receiver.awaitLine("ready");
        client = new DBOSClient(plainUrl, user, password, SCHEMA, null, false);
        // Both sides warmed as the library's are (SenderAndAgent.warmUp, AgentProcess): a long
        // run of sends and receives before the trial, untimed.
        for (int i = 0; i < WARM_UP_MESSAGES; i++) {
            String payload = "warm-up-" + i;
            client.send(workflowId, payload, TOPIC, null);
            received(payload);
        }
    }

    @TearDown
    public void close() {
        try {
            client.send(workflowId, "stop", TOPIC, null);
            received("stop");
        } finally {
            client.close();
            receiver.close();
        }
    }

    @Setup(Level.Iteration)
    public void iteration(IterationParams iteration) {
        path.starting(iteration);
    }

    @TearDown(Level.Trial)
    public void writeWakePath(BenchmarkParams params) {
        path.write(params);
    }

    @Benchmark
    public void sendToReceived() {
        String payload = "m" + ++sent;
        long start = System.nanoTime();
        client.send(workflowId, payload, TOPIC, null);
        long sentAt = System.nanoTime();
        long received = received(payload);
        path.recordWakeUp(start, sentAt, received, System.nanoTime());
    }

    /** Reads the receiver's lines until it got {@code payload}; when {@code recv} returned it, by its clock. */
    private long received(String payload) {
        String prefix = "got " + payload + " ";
        while (true) {
            String line = receiver.readLine();
            if (line.startsWith(prefix)) {
                return Long.parseLong(line.substring(prefix.length()));
            }
        }
    }

    private static Map<String, String> parameters(String url) {
        Map<String, String> parameters = new HashMap<>();
        String query = URI.create(url.substring("jdbc:".length())).getRawQuery();
        if (query != null) {
            for (String pair : query.split("&")) {
                int equals = pair.indexOf('=');
                if (equals > 0) {
                    parameters.put(pair.substring(0, equals), pair.substring(equals + 1));
                }
            }
        }
        return parameters;
    }
}
