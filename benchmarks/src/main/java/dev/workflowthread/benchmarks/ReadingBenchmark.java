package dev.workflowthread.benchmarks;

import dev.workflowthread.Message;
import dev.workflowthread.WorkflowMessages;
import dev.workflowthread.spi.ThreadStore;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
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
 * Reading from big tables, one caller at a time.
 * <ul>
 *   <li>{@code page}: {@link WorkflowMessages#getMessages(long, long, int) a page of 100} from a
 *       random place in one thread of 100,000 messages, as a UI scrolling a long thread reads
 *       it. The store reads it by the index on {@code (workflow_id, seq)}.</li>
 *   <li>{@code pendingLookup}: {@link WorkflowMessages#getPendingUserMessages the open user
 *       messages} of a random workflow, with 1,000 or 1,000,000 messages in the table, 100 a
 *       workflow (10 or 10,000 workflows), each holding one pending instruction among agent
 *       comments. The store finds them by the index on {@code (workflow_id, open_seq)}, which
 *       leads straight to a workflow's open messages, so the time should not grow with the
 *       table: compare the two sizes.</li>
 *   <li>{@code pendingLookupAtTenMillion}: the same on PostgreSQL and MariaDB with 10,000,000
 *       messages in the table (100,000 workflows), to compare with 1,000. (Not on H2 in memory
 *       nor the in-memory store: ten million messages in the benchmark's heap measure the heap.)
 *       The first run loads the rows, several minutes on each database.</li>
 * </ul>
 * Mode {@code SampleTime}: every call is timed, so JMH reports the median and the tail (p99) of
 * single reads, not only their mean. The threads are written by {@link BulkLoader}, which keeps
 * them in the database between runs. With {@code -Dworkflowthread.bench.smoke=true} they are
 * smaller (2,000 messages in the long thread, at most 10,000 in the table over 100 workflows),
 * on tables of their own, so that a smoke run stays quick.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
public class ReadingBenchmark {

    private static final boolean SMOKE = Boolean.getBoolean("workflowthread.bench.smoke");
    private static final int PAGE_SIZE = 100;
    private static final int LONG_THREAD_LENGTH = SMOKE ? 2_000 : 100_000;
    private static final int MESSAGES_PER_WORKFLOW = 100;
    /** The pending instruction's place in each of the many workflows' threads. */
    private static final int INSTRUCTION_SEQ = 50;
    private static final int SMOKE_MAX_MESSAGES = 10_000;
    private static final int POOL_SIZE = 2;

    /** One workflow whose thread is long. */
    @State(Scope.Benchmark)
    public static class LongThread {
        private static final long WORKFLOW_ID = 1;

        @Param({"memory", "h2", "postgresql", "mariadb"})
        public String store;

        private ThreadStore threadStore;
        private WorkflowMessages messages;

        @Setup(Level.Trial)
        public void open() {
            threadStore = BulkLoader.open(BenchDatabase.named(store), "wt_bench_page_",
                    new BulkLoader.Shape(1, LONG_THREAD_LENGTH, 0), POOL_SIZE);
            messages = WorkflowMessages.create(threadStore);
        }

        @TearDown(Level.Trial)
        public void close() {
            closeAll(messages, threadStore);
        }
    }

    /** Many workflows of 100 messages each, one of them a pending instruction. */
    @State(Scope.Benchmark)
    public static class ManyWorkflows extends PendingTable {
        @Param({"memory", "h2", "postgresql", "mariadb"})
        public String store;

        /** Messages in the table. */
        @Param({"1000", "1000000"})
        public int messages;

        @Setup(Level.Trial)
        public void open() {
            open(store, messages);
        }
    }

    /** {@link ManyWorkflows} at ten million messages, on the two databases. */
    @State(Scope.Benchmark)
    public static class TenMillionMessages extends PendingTable {
        @Param({"postgresql", "mariadb"})
        public String store;

        @Setup(Level.Trial)
        public void open() {
            open(store, 10_000_000);
        }
    }

    /** A table of many workflows, each with its pending instruction, and the service reading it. */
    abstract static class PendingTable {
        private ThreadStore threadStore;
        private WorkflowMessages workflowMessages;
        private int workflows;

        /** Opens (loading it if need be) the table of {@code messages} messages on {@code store}. */
        void open(String store, int messages) {
            workflows = (SMOKE ? Math.min(messages, SMOKE_MAX_MESSAGES) : messages) / MESSAGES_PER_WORKFLOW;
            threadStore = BulkLoader.open(BenchDatabase.named(store), "wt_bench_lookup_",
                    new BulkLoader.Shape(workflows, MESSAGES_PER_WORKFLOW, INSTRUCTION_SEQ), POOL_SIZE);
            workflowMessages = WorkflowMessages.create(threadStore);
        }

        /** The pending messages of a random workflow of the table. */
        List<Message> lookUpOne() {
            return workflowMessages.getPendingUserMessages(ThreadLocalRandom.current().nextLong(1, workflows + 1L));
        }

        @TearDown(Level.Trial)
        public void close() {
            closeAll(workflowMessages, threadStore);
        }
    }

    @Benchmark
    public List<Message> page(LongThread thread) {
        long afterSeq = ThreadLocalRandom.current().nextLong(LONG_THREAD_LENGTH - PAGE_SIZE + 1);
        return thread.messages.getMessages(LongThread.WORKFLOW_ID, afterSeq, PAGE_SIZE);
    }

    @Benchmark
    public List<Message> pendingLookup(ManyWorkflows table) {
        return table.lookUpOne();
    }

    @Benchmark
    public List<Message> pendingLookupAtTenMillion(TenMillionMessages table) {
        return table.lookUpOne();
    }

    private static void closeAll(WorkflowMessages messages, ThreadStore store) {
        if (messages != null) {
            messages.close();
        }
        if (store != null) {
            store.close();
        }
    }
}
