package dev.workflowthread.benchmarks;

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
 * The baseline of {@link CheckBenchmark}: the plan's Option A check with nothing pending, one
 * query (the pause flag joined with the pending user messages) per call.
 */
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class OptionACheckBenchmark {

    @Param({"h2", "postgresql", "mariadb"})
    public String store;

    private OptionABaseline baseline;

    @Setup
    public void open() {
        baseline = new OptionABaseline(BenchDatabase.named(store).url(), "wt_bench_check_", 4,
                OptionABaseline.PLAN_UNPAUSE_POLL).createTables();
        baseline.createWorkflow(1);
    }

    @TearDown
    public void close() {
        baseline.close();
    }

    @Benchmark
    public OptionABaseline.Outcome check() throws InterruptedException {
        return baseline.check(1, () -> { });
    }
}
