package dev.workflowthread.benchmarks;

import dev.workflowthread.Checkpoint;
import dev.workflowthread.CheckpointGuard;
import dev.workflowthread.StopToken;
import dev.workflowthread.WorkflowMessages;
import dev.workflowthread.spi.ThreadStore;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
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
 * {@link CheckpointGuard#check()} with nothing pending, the call an agent loop makes between
 * steps: answered from memory while the store hears of no change of the workflow. Beside it,
 * {@link OptionACheckBenchmark} measures the plan's one query per check on the same databases,
 * and {@link #pollToken()} what a step polling its stop token pays per poll.
 */
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CheckBenchmark {

    @Param({"memory", "h2", "postgresql", "mariadb"})
    public String store;

    private ThreadStore threadStore;
    private WorkflowMessages messages;
    private CheckpointGuard guard;
    private StopToken token;

    @Setup
    public void open() throws InterruptedException {
        threadStore = BenchDatabase.named(store).freshStore("wt_bench_check_", 4);
        messages = WorkflowMessages.create(threadStore);
        messages.start(1);
        guard = messages.guard(1);
        // A guard of its own, so that check() above runs as it does without a token.
        CheckpointGuard stepping = messages.guard(1);
        stepping.check();
        token = stepping.stopToken();
    }

    @TearDown
    public void close() {
        messages.close();
        threadStore.close();
    }

    @Benchmark
    public Checkpoint check() throws InterruptedException {
        return guard.check();
    }

    /** {@link StopToken#isStopRequested()} of an armed token that does not fire: a step's poll. */
    @Benchmark
    public boolean pollToken() {
        return token.isStopRequested();
    }
}
