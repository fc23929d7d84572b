package dev.workflowthread.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import dev.workflowthread.ActionStatus;
import dev.workflowthread.CheckpointGuard;
import dev.workflowthread.Message;
import dev.workflowthread.MessageOptions;
import dev.workflowthread.MessageType;
import dev.workflowthread.PurgeResult;
import dev.workflowthread.WorkflowMessages;
import dev.workflowthread.WorkflowState;
import dev.workflowthread.WorkflowStatus;
import dev.workflowthread.WorkflowThreadConfig;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A purge of 200,000 messages of old finished workflows, loaded straight into the tables, while
 * writer threads append comments to running workflows and checkpoints pause and resume others:
 * every write and every pause/resume succeeds, nothing of the running workflows is lost, and no
 * write waits anywhere near as long as the purge takes, because the purge deletes in short
 * transactions of {@value WorkflowMessages#DEFAULT_PURGE_BATCH_SIZE} messages.
 */
class PurgeUnderLoadTest {
    private static final String PREFIX = "wt_purge_";
    private static final int FINISHED_WORKFLOWS = 2_000;
    private static final int MESSAGES_PER_WORKFLOW = 100;
    private static final int ROWS_PER_INSERT = 500;
    private static final int WRITERS = 4;
    private static final int CHECKPOINTS = 2;
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Duration PACE = Duration.ofMillis(2);

    /** One write's start and end, in {@link System#nanoTime()}. */
    private record Op(long start, long end) {
        long millis() {
            return TimeUnit.NANOSECONDS.toMillis(end - start);
        }

        boolean overlaps(long from, long to) {
            return start < to && end > from;
        }

        boolean inside(long from, long to) {
            return start >= from && end <= to;
        }
    }

    /** What one writer or checkpoint thread did. */
    private record Work(List<Op> ops, int cycles, List<Op> cycleTimes) {
    }

    private static MessageOptions agent() {
        return MessageOptions.agent("code", null);
    }

    @ParameterizedTest(name = "on {0}")
    @EnumSource(TestDatabase.class)
    void writersAndCheckpointsGoOnUnhinderedWhileTwoHundredThousandMessagesArePurged(TestDatabase database)
            throws Exception {
        database.assumeAvailable();
        database.dropTables(PREFIX);
        ExecutorService threads = Executors.newFixedThreadPool(CHECKPOINTS);
        // Writers and agents write at a pace (one write, then a pause of PACE), as agents do, rather
        // than flat out: on two cores, flat-out writers would starve the purge of the processor.
        ScheduledExecutorService paced = Executors.newScheduledThreadPool(WRITERS + CHECKPOINTS);
        try (HikariDataSource pool = database.newPool(16);
             JdbcThreadStore store = JdbcThreadStore.builder().dataSource(pool).tablePrefix(PREFIX).build();
             WorkflowMessages messages = WorkflowMessages.create(store,
                     WorkflowThreadConfig.builder().pausedCheckInterval(Duration.ofMillis(20)).build())) {
            long base = System.currentTimeMillis() * 1_000;
            long loadStart = System.nanoTime();
            load(pool, store, base, Instant.now().minus(Duration.ofDays(60)));
            long loadMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - loadStart);

            long[] writing = LongStream.range(0, WRITERS).map(i -> base + FINISHED_WORKFLOWS + i).toArray();
            long[] checkpointed = LongStream.range(0, CHECKPOINTS)
                    .map(i -> base + FINISHED_WORKFLOWS + WRITERS + i).toArray();
            LongStream.concat(LongStream.of(writing), LongStream.of(checkpointed)).forEach(messages::start);

            CountDownLatch warm = new CountDownLatch(WRITERS + CHECKPOINTS);
            Flag stop = new Flag();
            List<Throwable> failures = new CopyOnWriteArrayList<>();
            List<Paced> writers = new ArrayList<>();
            for (long id : writing) {
                Paced writer = new Paced(failures);
                writer.start(paced, () -> {
                    int n = writer.ops.size() + 1;
                    messages.addMessage(id, MessageType.AGENT, "comment " + n, agent());
                    return n == 5;
                }, warm);
                writers.add(writer);
            }
            List<Paced> agents = new ArrayList<>();
            List<Future<Work>> people = new ArrayList<>();
            for (long id : checkpointed) {
                CheckpointGuard guard = messages.guard(id);
                // An agent loop: a checkpoint (which blocks while paused), then a step's narration.
                Paced agent = new Paced(failures);
                agent.start(paced, () -> {
                    guard.check();
                    messages.addMessage(id, MessageType.AGENT, "step " + (agent.ops.size() + 1), agent());
                    return false;
                }, null);
                agents.add(agent);
                people.add(threads.submit(() -> pauseAndResume(messages, id, warm, stop)));
            }
            assertThat(warm.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("writers and checkpoints started").isTrue();

            long purgeStart = System.nanoTime();
            PurgeResult purged = messages.purgeFinished(Duration.ofDays(30));
            long purgeEnd = System.nanoTime();
            stop.raise();

            // The people first: each stops after a whole cycle, so no agent is left paused.
            List<Work> personWork = results(people);
            writers.forEach(Paced::stop);
            agents.forEach(Paced::stop);
            paced.shutdown();
            assertThat(paced.awaitTermination(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            assertThat(failures).isEmpty();
            List<Work> writerWork = writers.stream().map(Paced::work).toList();
            List<Work> agentWork = agents.stream().map(Paced::work).toList();
            long purgeMillis = TimeUnit.NANOSECONDS.toMillis(purgeEnd - purgeStart);

            assertThat(purged).isEqualTo(new PurgeResult(FINISHED_WORKFLOWS,
                    (long) FINISHED_WORKFLOWS * MESSAGES_PER_WORKFLOW));
            assertThat(count(pool, store.stateTable(), "workflow_id < " + (base + FINISHED_WORKFLOWS))).isZero();
            assertThat(count(pool, store.messageTable(), "workflow_id < " + (base + FINISHED_WORKFLOWS))).isZero();

            // The writers' threads hold exactly what they wrote, in order, gap-free.
            for (int w = 0; w < WRITERS; w++) {
                List<Message> thread = messages.getMessages(writing[w]);
                int written = writerWork.get(w).ops().size();
                assertThat(thread).hasSize(written);
                for (int i = 0; i < written; i++) {
                    assertThat(thread.get(i).seq()).isEqualTo(i + 1);
                    assertThat(thread.get(i).content()).isEqualTo("comment " + (i + 1));
                }
                assertThat(messages.getState(writing[w]).status()).isEqualTo(WorkflowStatus.RUNNING);
            }
            // Each checkpointed workflow: its steps, and four messages per pause/resume cycle, all
            // applied; running again at the end.
            for (int c = 0; c < CHECKPOINTS; c++) {
                List<Message> thread = messages.getMessages(checkpointed[c]);
                int steps = agentWork.get(c).ops().size();
                int cycles = personWork.get(c).cycles();
                assertThat(cycles).isPositive();
                assertThat(thread).hasSize(steps + 4 * cycles);
                assertThat(thread).extracting(Message::seq)
                        .containsExactlyElementsOf(LongStream.rangeClosed(1, thread.size()).boxed().toList());
                assertThat(thread).filteredOn(m -> m.messageType() == MessageType.USER)
                        .extracting(Message::actionStatus).containsOnly(ActionStatus.PROCESSED);
                WorkflowState state = messages.getState(checkpointed[c]);
                assertThat(state.status()).isEqualTo(WorkflowStatus.RUNNING);
                assertThat(state.paused()).isFalse();
            }

            List<Op> writes = new ArrayList<>();
            writerWork.forEach(work -> writes.addAll(work.ops()));
            agentWork.forEach(work -> writes.addAll(work.ops()));
            personWork.forEach(work -> writes.addAll(work.ops()));
            List<Op> during = writes.stream().filter(op -> op.overlaps(purgeStart, purgeEnd)).toList();
            long maxMillis = during.stream().mapToLong(Op::millis).max().orElse(0);
            long[] sorted = during.stream().mapToLong(Op::millis).sorted().toArray();
            long p99 = sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)];
            long cyclesDuring = personWork.stream().flatMap(work -> work.cycleTimes().stream())
                    .filter(op -> op.inside(purgeStart, purgeEnd)).count();
            System.out.printf(Locale.ROOT, "PURGE on %s: %,d messages of %,d workflows in %,d ms (%,d messages/s,"
                            + " batches of %,d; loaded in %,d ms); during it %,d writes, latency max %d ms, p99 %d ms;"
                            + " %d pause/resume cycles within it%n",
                    database.displayName(), purged.messages(), purged.workflows(), purgeMillis,
                    purgeMillis == 0 ? 0 : purged.messages() * 1_000 / purgeMillis,
                    WorkflowMessages.DEFAULT_PURGE_BATCH_SIZE, loadMillis, during.size(), maxMillis, p99, cyclesDuring);

            // No writer was held for the purge: each went on writing while it ran, and no single
            // write waited for more than half of it.
            for (Work work : writerWork) {
                assertThat(work.ops()).filteredOn(op -> op.inside(purgeStart, purgeEnd))
                        .as("writes that began and ended during the purge").isNotEmpty();
            }
            assertThat(maxMillis).as("the slowest write during a purge of %d ms", purgeMillis)
                    .isLessThan(Math.max(1, purgeMillis / 2));
        } finally {
            paced.shutdownNow();
            threads.shutdownNow();
            threads.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    /** One paced writer: runs a timed write, then waits {@link #PACE}, until stopped. */
    private static final class Paced {
        final List<Op> ops = new CopyOnWriteArrayList<>();
        private final List<Throwable> failures;
        private ScheduledFuture<?> schedule;

        Paced(List<Throwable> failures) {
            this.failures = failures;
        }

        /** {@code write} returns true when {@code warm} is to be counted down. */
        void start(ScheduledExecutorService scheduler, Callable<Boolean> write, CountDownLatch warm) {
            schedule = scheduler.scheduleWithFixedDelay(() -> {
                long start = System.nanoTime();
                try {
                    boolean warmedUp = write.call();
                    ops.add(new Op(start, System.nanoTime()));
                    if (warmedUp && warm != null) {
                        warm.countDown();
                    }
                } catch (Throwable e) {
                    failures.add(e);
                    throw new IllegalStateException("a paced write failed", e);
                }
            }, 0, PACE.toNanos(), TimeUnit.NANOSECONDS);
        }

        void stop() {
            schedule.cancel(false);
        }

        Work work() {
            return new Work(List.copyOf(ops), 0, List.of());
        }
    }

    /** A person pausing the workflow, waiting for the checkpoint to pause it, and resuming it, until stopped. */
    private static Work pauseAndResume(WorkflowMessages messages, long workflowId, CountDownLatch warm, Flag stop) {
        List<Op> ops = new ArrayList<>();
        List<Op> cycles = new ArrayList<>();
        while (!stop.raised() || cycles.isEmpty()) {
            long cycleStart = System.nanoTime();
            long start = System.nanoTime();
            messages.pause(workflowId, "purge under way");
            ops.add(new Op(start, System.nanoTime()));
            await().atMost(WAIT).pollInterval(Duration.ofMillis(5))
                    .until(() -> messages.getState(workflowId).status() == WorkflowStatus.PAUSED);
            start = System.nanoTime();
            messages.unpause(workflowId);
            ops.add(new Op(start, System.nanoTime()));
            await().atMost(WAIT).pollInterval(Duration.ofMillis(5)).until(() -> {
                WorkflowState state = messages.getState(workflowId);
                return state.status() == WorkflowStatus.RUNNING && !state.isPauseRequested();
            });
            cycles.add(new Op(cycleStart, System.nanoTime()));
            if (cycles.size() == 1) {
                warm.countDown();
            }
        }
        return new Work(ops, cycles.size(), cycles);
    }

    private static List<Work> results(List<Future<Work>> futures) throws Exception {
        List<Work> results = new ArrayList<>();
        for (Future<Work> future : futures) {
            results.add(future.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        }
        return results;
    }

    /**
     * Writes {@value #FINISHED_WORKFLOWS} completed workflows of {@value #MESSAGES_PER_WORKFLOW}
     * messages each straight into the tables, {@value #ROWS_PER_INSERT} rows per statement.
     */
    private static void load(HikariDataSource pool, JdbcThreadStore store, long base, Instant finishedAt)
            throws SQLException {
        LocalDateTime finished = LocalDateTime.ofInstant(finishedAt.truncatedTo(ChronoUnit.MILLIS), ZoneOffset.UTC);
        try (Connection connection = pool.getConnection()) {
            connection.setAutoCommit(false);
            int statements = 0;
            String states = "INSERT INTO " + store.stateTable()
                    + " (workflow_id, status, is_paused, last_seq, version, created_at, finished_at) VALUES ";
            for (int from = 0; from < FINISHED_WORKFLOWS; from += ROWS_PER_INSERT) {
                int rows = Math.min(ROWS_PER_INSERT, FINISHED_WORKFLOWS - from);
                try (PreparedStatement insert = connection.prepareStatement(states + rows(rows, 7))) {
                    int p = 1;
                    for (int i = from; i < from + rows; i++) {
                        insert.setLong(p++, base + i);
                        insert.setString(p++, WorkflowStatus.COMPLETED.wireName());
                        insert.setBoolean(p++, false);
                        insert.setLong(p++, MESSAGES_PER_WORKFLOW);
                        insert.setLong(p++, 1);
                        insert.setObject(p++, finished.minusHours(1));
                        insert.setObject(p++, finished);
                    }
                    insert.executeUpdate();
                }
                connection.commit();
            }
            String messageRows = "INSERT INTO " + store.messageTable() + " (workflow_id, seq, message_type, content,"
                    + " action_type, action_status, created_at) VALUES ";
            long total = (long) FINISHED_WORKFLOWS * MESSAGES_PER_WORKFLOW;
            try (PreparedStatement insert = connection.prepareStatement(messageRows + rows(ROWS_PER_INSERT, 7))) {
                for (long row = 0; row < total; row += ROWS_PER_INSERT) {
                    int p = 1;
                    for (long r = row; r < row + ROWS_PER_INSERT; r++) {
                        long seq = r % MESSAGES_PER_WORKFLOW + 1;
                        insert.setLong(p++, base + r / MESSAGES_PER_WORKFLOW);
                        insert.setLong(p++, seq);
                        insert.setString(p++, MessageType.AGENT.wireName());
                        insert.setString(p++, "Writing file: src/components/Button" + seq + ".tsx (1234 bytes)");
                        insert.setString(p++, "comment");
                        insert.setString(p++, ActionStatus.PROCESSED.wireName());
                        insert.setObject(p++, finished.minusMinutes(MESSAGES_PER_WORKFLOW - seq));
                    }
                    insert.executeUpdate();
                    if (++statements % 20 == 0) {
                        connection.commit();
                    }
                }
            }
            connection.commit();
        }
        assertThat(count(pool, store.messageTable(), "workflow_id < " + (base + FINISHED_WORKFLOWS)))
                .isEqualTo((long) FINISHED_WORKFLOWS * MESSAGES_PER_WORKFLOW);
    }

    private static String rows(int rows, int columns) {
        String row = "(" + "?, ".repeat(columns - 1) + "?)";
        return String.join(", ", java.util.Collections.nCopies(rows, row));
    }

    private static long count(HikariDataSource pool, String table, String condition) throws SQLException {
        try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT COUNT(*) FROM " + table + " WHERE " + condition)) {
            rs.next();
            long count = rs.getLong(1);
            if (!connection.getAutoCommit()) {
                connection.commit();
            }
            return count;
        }
    }

    /** A stop signal for the load threads. */
    private static final class Flag {
        private volatile boolean raised;

        void raise() {
            raised = true;
        }

        boolean raised() {
            return raised;
        }
    }
}
