package dev.workflowthread.benchmarks;

import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * Send to stopped across two processes on PostgreSQL: the benchmark's JVM sends, a child JVM
 * ({@link AgentProcess}, design {@code stop-token}) runs the loop whose step waits on its stop
 * token. The child's store hears of the send by {@code NOTIFY}, reads the workflow's open
 * messages once and fires the token. The time includes one pipe hop from the child back to the
 * benchmark, as in {@link CrossProcessSendToObservedBenchmark}.
 */
@State(Scope.Benchmark)
public class CrossProcessSendToStoppedBenchmark extends SendToStopped {

    private static final String PREFIX = "wt_bench_cross_stop_";

    @Param({"postgresql"})
    public String store;

    @Override
    protected Sender openSender() {
        return libraryOn(BenchDatabase.named(store), BenchDatabase.named(store).url(), PREFIX);
    }

    @Override
    protected AgentSide openAgentSide() {
        return AgentSide.inChildProcess(AgentProcess.STOP_TOKEN, BenchDatabase.named(store).url(), PREFIX);
    }
}
