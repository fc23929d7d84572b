package dev.workflowthread.benchmarks;

import dev.workflowthread.WorkflowMessages;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * Send to stopped in one JVM: the sender and the agent loop share one {@link WorkflowMessages}.
 * The send fires the token itself, right after its commit and before it returns, from what it
 * stored: no read, no wake-up of another thread. Beside {@link InJvmSendToObservedBenchmark}, whose
 * cancel waits for the loop's next checkpoint to apply it.
 */
@State(Scope.Benchmark)
public class InJvmSendToStoppedBenchmark extends SendToStopped {

    @Param({"memory", "h2"})
    public String store;

    @Override
    protected Sender openSender() {
        return libraryOn(BenchDatabase.named(store), BenchDatabase.named(store).url(), "wt_bench_stop_");
    }

    @Override
    protected AgentSide openAgentSide() {
        return AgentSide.inThisJvm(events -> workflowId -> AgentLoop.withStopToken(libraryMessages(), workflowId, events));
    }
}
