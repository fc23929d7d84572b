package dev.workflowthread.benchmarks;

import dev.workflowthread.AgentNarrator;
import dev.workflowthread.Message;
import dev.workflowthread.WorkflowMessages;
import dev.workflowthread.jdbc.JdbcThreadStoreBuilder;
import dev.workflowthread.spi.ThreadStore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Agent comment throughput: how many comments a second agents append with
 * {@link AgentNarrator#say}, each its own commit (the state row locked, the message inserted,
 * {@code last_seq} moved). {@code oneWorkflow}: one agent commenting as fast as it can, so one
 * commit's round trips bound it. {@code thirtyTwoWorkflows}, {@code twoHundredFiftySixWorkflows}
 * and {@code thousandTwentyFourWorkflows}: 32, 256 or 1,024 agents at once (a platform thread
 * each), each on a workflow of its own, so no two commits wait for the same
 * row: what is left is how many commits the database and the pool manage together. With
 * {@code groupCommit=on} (the store's default) the comments of all agents share transactions;
 * with {@code off} each is its own. The tables are new in each trial.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
public class CommentThroughputBenchmark {

    private static final String PREFIX = "wt_bench_append_";
    /** A connection for each of 32 agents, and two to spare. */
    private static final int POOL_SIZE = 34;

    @Param({"h2", "postgresql", "mariadb"})
    public String store;

    /** {@code on}: comments committed together ({@link JdbcThreadStoreBuilder#groupCommit}); {@code off}: one transaction each. */
    @Param({"on", "off"})
    public String groupCommit;

    private final AtomicLong lastWorkflowId = new AtomicLong();
    private ThreadStore threadStore;
    private WorkflowMessages messages;

    /** The narrator of one agent thread's own workflow. */
    @State(Scope.Thread)
    public static class OwnWorkflow {
        private AgentNarrator narrator;

        @Setup(Level.Trial)
        public void start(CommentThroughputBenchmark benchmark) {
            narrator = benchmark.startWorkflow();
        }
    }

    @Setup(Level.Trial)
    public void open() {
        threadStore = BenchDatabase.named(store).freshStore(PREFIX, POOL_SIZE, "on".equals(groupCommit));
        messages = WorkflowMessages.create(threadStore);
    }

    @TearDown(Level.Trial)
    public void close() {
        if (messages != null) {
            messages.close();
        }
        if (threadStore != null) {
            threadStore.close();
        }
    }

    /** Starts the next workflow and gives its narrator. */
    AgentNarrator startWorkflow() {
        long workflowId = lastWorkflowId.incrementAndGet();
        messages.start(workflowId);
        return messages.narrator(workflowId, BulkLoader.AGENT_TYPE, null);
    }

    @Benchmark
    @Threads(1)
    public Message oneWorkflow(OwnWorkflow workflow) {
        return workflow.narrator.say(BulkLoader.COMMENT, null);
    }

    @Benchmark
    @Threads(32)
    public Message thirtyTwoWorkflows(OwnWorkflow workflow) {
        return workflow.narrator.say(BulkLoader.COMMENT, null);
    }

    @Benchmark
    @Threads(256)
    public Message twoHundredFiftySixWorkflows(OwnWorkflow workflow) {
        return workflow.narrator.say(BulkLoader.COMMENT, null);
    }

    @Benchmark
    @Threads(1024)
    public Message thousandTwentyFourWorkflows(OwnWorkflow workflow) {
        return workflow.narrator.say(BulkLoader.COMMENT, null);
    }
}
