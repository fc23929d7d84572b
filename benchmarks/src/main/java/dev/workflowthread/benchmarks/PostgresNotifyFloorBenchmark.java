package dev.workflowthread.benchmarks;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * The floor of a cross-process wake-up on PostgreSQL: a bare {@code NOTIFY} committed on one
 * connection until pgjdbc's {@code getNotifications} returns it on another, which is listening.
 */
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class PostgresNotifyFloorBenchmark {

    private Connection sender;
    private Statement notify;
    private Connection listener;
    private PGConnection listening;

    @Setup
    public void open() throws SQLException {
        String url = BenchDatabase.POSTGRESQL.url();
        sender = DriverManager.getConnection(url);
        notify = sender.createStatement();
        listener = DriverManager.getConnection(url);
        try (Statement statement = listener.createStatement()) {
            statement.execute("LISTEN wt_bench_floor");
        }
        listening = listener.unwrap(PGConnection.class);
    }

    @TearDown
    public void close() throws SQLException {
        sender.close();
        listener.close();
    }

    @Benchmark
    public PGNotification[] notifyDelivery() throws SQLException {
        notify.execute("NOTIFY wt_bench_floor");
        PGNotification[] received = listening.getNotifications(10_000);
        if (received == null || received.length == 0) {
            throw new IllegalStateException("no notification within 10 s");
        }
        return received;
    }
}
