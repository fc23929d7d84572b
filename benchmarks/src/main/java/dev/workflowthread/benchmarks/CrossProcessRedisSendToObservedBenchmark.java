package dev.workflowthread.benchmarks;

import dev.workflowthread.WorkflowMessages;
import dev.workflowthread.spi.ThreadStore;
import java.util.UUID;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * {@link CrossProcessSendToObservedBenchmark}'s library rows on a database without notifications,
 * with the store woken by Redis change signals ({@code workflow-thread-redis}) instead of its poll:
 * the benchmark's JVM sends, the child JVM ({@link AgentProcess}) hears the signal, reads the
 * workflow's state and its loop obeys. Both stores use the library's defaults otherwise. The
 * person sends at once (no think time): the child is woken, not polled.
 */
@State(Scope.Benchmark)
public class CrossProcessRedisSendToObservedBenchmark extends SendToObserved {

    private static final String PREFIX = "wt_bench_cross_redis_";

    @Param({"mariadb"})
    public String store;

    private final String channel = "wt-bench:" + UUID.randomUUID();
    private String url;
    private ThreadStore threadStore;

    @Override
    protected Sender openSender() {
        BenchDatabase database = BenchDatabase.named(store);
        url = database.url();
        BenchDatabase.dropTables(url, PREFIX);
        threadStore = BenchDatabase.storeWithRedis(url, PREFIX, 8, channel);
        return library(WorkflowMessages.create(threadStore));
    }

    @Override
    protected AgentSide openAgentSide() {
        return AgentSide.inChildProcess("library", url, PREFIX, channel);
    }

    @Override
    protected void closeResources() {
        if (threadStore != null) {
            threadStore.close();
        }
    }
}
