package dev.workflowthread.benchmarks;

import dev.workflowthread.WorkflowMessages;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * Send to observed in one JVM: the sender and the agent loop share one {@link WorkflowMessages},
 * as a web app and its orchestrator in one process do. The store tells the guard of the change
 * at once, with no database read; the time is the send's commit, the wake-up and the guard's own
 * commit of what it applied. (The plan's Option A has no in-JVM path: it reads the database
 * either way, see {@link CrossProcessSendToObservedBenchmark}.)
 */
@State(Scope.Benchmark)
public class InJvmSendToObservedBenchmark extends SendToObserved {

    @Param({"memory", "h2", "postgresql", "mariadb"})
    public String store;

    @Override
    protected Sender openSender() {
        return libraryOn(BenchDatabase.named(store), BenchDatabase.named(store).url(), "wt_bench_injvm_");
    }

    @Override
    protected AgentSide openAgentSide() {
        return AgentSide.inThisJvm(events -> workflowId -> AgentLoop.library(libraryMessages(), workflowId, events));
    }
}
