package dev.workflowthread.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.workflowthread.ActionType;
import dev.workflowthread.CheckpointGuard;
import dev.workflowthread.SendRequest;
import dev.workflowthread.WorkflowMessages;
import dev.workflowthread.jdbc.JdbcThreadStore;
import dev.workflowthread.jdbc.JdbcThreadStoreBuilder;
import dev.workflowthread.spi.StoreChange;
import dev.workflowthread.spi.StoreChangeListener;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.StatementContext;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost curve of hearing other processes: one store ("here") with a {@link CheckpointGuard}
 * open on each of {@code watched} workflows, on a database it polls (MariaDB; PostgreSQL with
 * notifications off), and a second store object on the same tables standing for another process.
 * <ul>
 *   <li>{@link #idle}: nobody talks; its {@code statements} counter is the statements per second
 *       that the store's polling thread runs to hear the other process, and its
 *       {@code bytesPerWatched} the heap that each watched workflow holds (its guard and the
 *       store's watch of it): the heap in use after a full collection with the guards open, less
 *       that before they were opened, over their number.</li>
 *   <li>{@link #pause}: the other process sends a pause to a random watched workflow; the time from
 *       the send's return to the moment the store here tells its listeners (what moves the
 *       guard's version, so that its next {@code check()} takes the pause).</li>
 * </ul>
 */
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 1, time = 5)
@Measurement(iterations = 2, time = 10)
public class WatchedWorkflowsBenchmark {
    private static final String PREFIX = "wt_bench_watch_";

    @Param({"1000", "10000"})
    public int watched;

    @Param({"mariadb", "postgresql"})
    public String store;

    private HikariDataSource pool;
    private JdbcThreadStore here;
    private JdbcThreadStore there;
    private WorkflowMessages hereMessages;
    private WorkflowMessages thereMessages;
    private final List<CheckpointGuard> guards = new ArrayList<>();
    private final AtomicLong pollStatements = new AtomicLong();
    private volatile long awaited = -1;
    private volatile CompletableFuture<Void> heard = new CompletableFuture<>();

    /** The statements the polling thread ran while the benchmark method ran. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Hearing {
        /** Statements the polling thread ran; reported per second. */
        public long statements;
    }

    /** The heap each watched workflow holds, measured once when the guards were opened. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Footprint {
        /** Bytes of heap a watched workflow holds. */
        public long bytesPerWatched;
    }

    private long bytesPerWatched;

    private static long heapAfterCollection() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            memory.gc();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }

    @Setup(Level.Trial)
    public void open() throws Exception {
        String url = BenchDatabase.named(store).url();
        BenchDatabase.dropTables(url, PREFIX);
        there = BenchDatabase.store(url, PREFIX, 4);
        try (Connection connection = java.sql.DriverManager.getConnection(url);
             PreparedStatement insert = connection.prepareStatement("INSERT INTO " + there.stateTable()
                     + " (workflow_id, status, is_paused, last_seq, version, created_at)"
                     + " VALUES (?, 'running', FALSE, 0, 0, ?)")) {
            connection.setAutoCommit(false);
            Timestamp now = Timestamp.from(Instant.now());
            for (long id = 1; id <= watched; id++) {
                insert.setLong(1, id);
                insert.setTimestamp(2, now);
                insert.addBatch();
            }
            insert.executeBatch();
            connection.commit();
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setMaximumPoolSize(4);
        pool = new HikariDataSource(config);
        Jdbi jdbi = Jdbi.create(pool);
        jdbi.setSqlLogger(new SqlLogger() {
            @Override
            public void logAfterExecution(StatementContext context) {
                if (Thread.currentThread().getName().startsWith("workflow-thread-poll")) {
                    pollStatements.incrementAndGet();
                }
            }
        });
        here = JdbcThreadStore.builder().jdbi(jdbi).tablePrefix(PREFIX).notifications(false).build();
        hereMessages = WorkflowMessages.create(here);
        thereMessages = WorkflowMessages.create(there);
        long before = heapAfterCollection();
        for (long id = 1; id <= watched; id++) {
            guards.add(hereMessages.guard(id));
        }
        Set<Long> ids = LongStream.rangeClosed(1, watched).boxed().collect(Collectors.toUnmodifiableSet());
        here.addChangeListener(new StoreChangeListener() {
            @Override
            public void onChange(StoreChange change) {
                if (change.workflowId() == awaited) {
                    heard.complete(null);
                }
            }

            @Override
            public Set<Long> watchedWorkflows() {
                return ids;
            }
        });
        // After the first round of the polling thread has read them all in.
        Thread.sleep(2 * JdbcThreadStoreBuilder.DEFAULT_CHANGE_POLL_INTERVAL.toMillis());
        bytesPerWatched = (heapAfterCollection() - before) / watched;
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public void idle(Hearing hearing, Footprint footprint) throws InterruptedException {
        footprint.bytesPerWatched = bytesPerWatched;
        long before = pollStatements.get();
        Thread.sleep(100);
        hearing.statements += pollStatements.get() - before;
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public void pause() throws Exception {
        long id = 1 + ThreadLocalRandom.current().nextInt(watched);
        CompletableFuture<Void> future = new CompletableFuture<>();
        heard = future;
        awaited = id;
        thereMessages.send(id, SendRequest.of(ActionType.PAUSE, "hold on"));
        // Timed from here would exclude the send; JMH times the whole call, the send included.
        future.get(30, TimeUnit.SECONDS);
        awaited = -1;
    }

    @TearDown(Level.Trial)
    public void close() {
        guards.forEach(CheckpointGuard::close);
        hereMessages.close();
        thereMessages.close();
        here.close();
        there.close();
        pool.close();
    }
}
