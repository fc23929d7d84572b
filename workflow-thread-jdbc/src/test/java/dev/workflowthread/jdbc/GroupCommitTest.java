package dev.workflowthread.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import dev.workflowthread.ActionType;
import dev.workflowthread.Message;
import dev.workflowthread.MessageType;
import dev.workflowthread.OutcomeUnknownException;
import dev.workflowthread.SendRequest;
import dev.workflowthread.StorageException;
import dev.workflowthread.WorkflowMessages;
import dev.workflowthread.WorkflowNotFoundException;
import dev.workflowthread.tck.ThreadAudit;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The group commit of comments ({@link JdbcThreadStoreBuilder#groupCommit}): many threads'
 * comments share transactions and each is still stored once, in its caller's order, gap-free
 * beside a person's actions on the same workflows, and readable elsewhere when its call returns;
 * a batch that fails fails its own callers, each with its own operation, and nobody else.
 */
class GroupCommitTest {
    private static final String PREFIX = "wt_group_";
    private static final int WORKFLOWS = 8;
    private static final int COMMENTERS = 32;
    private static final int COMMENTS_EACH = 64;
    private static final int ROUNDS_OF_ACTIONS = 10;
    private static long nextWorkflowId = System.currentTimeMillis() * 1_000;

    private final Closing closing = new Closing();
    private final ExecutorService threads = Executors.newCachedThreadPool();

    private static final Set<TestDatabase> EMPTIED = new HashSet<>();

    /** Skips the test when {@code database} cannot be reached; empties its tables before its first test here. */
    private static void use(TestDatabase database) {
        database.assumeAvailable();
        synchronized (EMPTIED) {
            if (EMPTIED.add(database)) {
                database.dropTables(PREFIX);
            }
        }
    }

    @AfterEach
    void closeEverything() throws Exception {
        threads.shutdownNow();
        closing.close();
    }

    private <T extends AutoCloseable> T closeAfter(T closeable) {
        return closing.after(closeable);
    }

    private static synchronized long newWorkflowId() {
        return ++nextWorkflowId;
    }

    @ParameterizedTest(name = "on {0}")
    @EnumSource(TestDatabase.class)
    void commentsOfManyThreadsAreStoredOnceInEachCallersOrderBesideAPersonsActions(TestDatabase database)
            throws Exception {
        use(database);
        JdbcThreadStore store = closeAfter(JdbcThreadStore.builder().dataSource(database.dataSource())
                .tablePrefix(PREFIX).build());
        WorkflowMessages messages = closeAfter(WorkflowMessages.create(store));
        HikariDataSource elsewhere = closeAfter(database.newPool(16));
        String readBack = "SELECT workflow_id, seq, content FROM " + store.messageTable() + " WHERE id = ?";
        long[] workflows = new long[WORKFLOWS];
        for (int w = 0; w < WORKFLOWS; w++) {
            workflows[w] = newWorkflowId();
            messages.start(workflows[w]);
        }
        CountDownLatch go = new CountDownLatch(1);
        List<Future<List<Message>>> commenters = new ArrayList<>();
        for (int t = 0; t < COMMENTERS; t++) {
            long workflowId = workflows[t % WORKFLOWS];
            String agent = "agent-" + t;
            commenters.add(threads.submit(() -> {
                go.await();
                List<Message> said = new ArrayList<>();
                try (Connection reader = elsewhere.getConnection();
                     PreparedStatement read = reader.prepareStatement(readBack)) {
                    for (int n = 0; n < COMMENTS_EACH; n++) {
                        Message message = messages.narrator(workflowId, agent, null).say(agent + " #" + n, null);
                        // Durable on return: another connection reads it at once.
                        read.setLong(1, message.id());
                        try (ResultSet row = read.executeQuery()) {
                            assertThat(row.next()).as("comment %s #%d readable elsewhere", agent, n).isTrue();
                            assertThat(row.getLong(1)).isEqualTo(workflowId);
                            assertThat(row.getLong(2)).isEqualTo(message.seq());
                            assertThat(row.getString(3)).isEqualTo(agent + " #" + n);
                        }
                        said.add(message);
                    }
                }
                return said;
            }));
        }
        List<Future<?>> persons = new ArrayList<>();
        for (long workflowId : workflows) {
            persons.add(threads.submit(() -> {
                go.await();
                for (int round = 0; round < ROUNDS_OF_ACTIONS; round++) {
                    messages.pause(workflowId, "hold on " + round);
                    messages.send(workflowId, SendRequest.of(ActionType.INSTRUCTION, "instruction " + round));
                    messages.unpause(workflowId);
                }
                return null;
            }));
        }
        go.countDown();

        Set<Long> ids = new HashSet<>();
        for (int t = 0; t < COMMENTERS; t++) {
            List<Message> said = commenters.get(t).get(2, TimeUnit.MINUTES);
            long workflowId = workflows[t % WORKFLOWS];
            String agent = "agent-" + t;
            List<Message> stored = store.readAfter(workflowId, 0, 100_000).stream()
                    .filter(m -> agent.equals(m.agentType()))
                    .toList();
            // Each call's own message, once, in the order of the calls.
            assertThat(stored).as("agent-%d's comments as stored", t).containsExactlyElementsOf(said);
            said.forEach(m -> assertThat(ids.add(m.id())).as("id %d given once", m.id()).isTrue());
        }
        for (Future<?> person : persons) {
            person.get(2, TimeUnit.MINUTES);
        }
        long agentMessages = 0;
        for (long workflowId : workflows) {
            List<Message> thread = store.readAfter(workflowId, 0, 100_000);
            ThreadAudit.assertGapFree(workflowId, thread);
            assertThat(thread).filteredOn(m -> m.messageType() == MessageType.USER)
                    .extracting(Message::content)
                    .containsSubsequence("hold on 0", "instruction 0", "hold on 9", "instruction 9")
                    .hasSize(3 * ROUNDS_OF_ACTIONS);
            assertThat(messages.getState(workflowId).lastSeq()).isEqualTo(thread.size());
            agentMessages += thread.stream().filter(m -> m.messageType() == MessageType.AGENT).count();
        }
        assertThat(agentMessages).as("no comment lost or stored twice").isEqualTo((long) COMMENTERS * COMMENTS_EACH);
        assertThat(store.largestCommentBatch()).as("the most comments one transaction held").isGreaterThan(1);
    }

    @ParameterizedTest(name = "on {0}")
    @EnumSource(TestDatabase.class)
    void aCommentToAWorkflowWithoutAThreadFailsAloneInItsBatch(TestDatabase database) throws Exception {
        use(database);
        HeldBatch held = new HeldBatch(database, connection -> {
        }, (connection, sql) -> {
        });
        long fine = held.started();
        long missing = newWorkflowId();

        held.queueBehindTheHeldOne(List.of(
                () -> held.say(fine, "beside a workflow that is missing"),
                () -> held.say(missing, "to nobody")));
        List<Future<Message>> batch = held.release();

        assertThat(batch.get(0).get(30, TimeUnit.SECONDS).content()).isEqualTo("beside a workflow that is missing");
        assertThat(failureOf(batch.get(1))).isInstanceOf(WorkflowNotFoundException.class);
        assertThat(held.store.readAfter(fine, 0, 100)).extracting(Message::content)
                .containsExactly("beside a workflow that is missing");
        assertThat(held.store.findState(missing)).isEmpty();
        held.assertTheHeldOneStored();
    }

    @ParameterizedTest(name = "on {0}")
    @EnumSource(value = TestDatabase.class, names = {"POSTGRESQL", "MARIADB"})
    void aBatchWhoseConnectionIsCutAtCommitIsOutcomeUnknownForEachOfItsCallersOnly(TestDatabase database)
            throws Exception {
        use(database);
        AtomicBoolean cut = new AtomicBoolean();
        HeldBatch held = new HeldBatch(database, connection -> {
            if (cut.compareAndSet(true, false)) {
                database.kill(database.sessionId(connection));
            }
        }, (connection, sql) -> {
        });
        assertFailsEachCallerOfTheBatch(held, cut, OutcomeUnknownException.class);
    }

    @ParameterizedTest(name = "on {0}")
    @EnumSource(value = TestDatabase.class, names = {"POSTGRESQL", "MARIADB"})
    void aBatchWhoseConnectionIsCutBeforeItsStatementsIsAStorageExceptionForEachOfItsCallersOnly(
            TestDatabase database) throws Exception {
        use(database);
        AtomicBoolean cut = new AtomicBoolean();
        HeldBatch held = new HeldBatch(database, connection -> {
        }, (connection, sql) -> {
            // The batch's first statement: the lock on PostgreSQL is the statement that also inserts.
            if (cut.compareAndSet(true, false)) {
                database.kill(database.sessionId(connection));
            }
        });
        assertFailsEachCallerOfTheBatch(held, cut, StorageException.class);
    }

    /** Two comments queue behind a held batch, {@code cut} is armed, and both fail as {@code expected}. */
    private void assertFailsEachCallerOfTheBatch(HeldBatch held, AtomicBoolean cut,
                                                 Class<? extends StorageException> expected) throws Exception {
        long second = held.started();
        long third = held.started();
        held.queueBehindTheHeldOne(List.of(() -> held.say(second, "lost with its batch"),
                () -> held.say(third, "lost with it too")));
        cut.set(true);
        List<Future<Message>> batch = held.release();

        for (int i = 0; i < 2; i++) {
            long workflowId = i == 0 ? second : third;
            Throwable failure = failureOf(batch.get(i));
            assertThat(failure).isExactlyInstanceOf(expected);
            assertThat(((StorageException) failure).operation()).isEqualTo("commit to workflow " + workflowId);
            // Cut before its COMMIT went out: rolled back, whatever the callers were told.
            assertThat(held.store.readAfter(workflowId, 0, 100)).isEmpty();
        }
        assertThat(cut).as("the cut came").isFalse();
        held.assertTheHeldOneStored();
        // The pool dropped the cut connection; the next comment is stored, gap-free.
        Message again = held.say(second, "said again");
        assertThat(again.seq()).isEqualTo(1);
        ThreadAudit.assertGapFree(second, held.store.readAfter(second, 0, 100));
    }

    private static Throwable failureOf(Future<Message> call) throws Exception {
        try {
            call.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        }
        throw new AssertionError("the call succeeded");
    }

    /** Before each statement's text is prepared. */
    @FunctionalInterface
    private interface StatementHook {
        void beforePrepare(Connection connection, String sql) throws Exception;
    }

    /**
     * A store whose first comment's transaction is held at its commit while others queue behind
     * it, so that they are sure to share the next batch.
     */
    private final class HeldBatch {
        final JdbcThreadStore store;
        final WorkflowMessages messages;
        private final AtomicBoolean holdNext = new AtomicBoolean();
        private final CountDownLatch holding = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);
        private final long heldWorkflow;
        /** The thread whose batch is held, once held. */
        private volatile Thread heldThread;
        private Future<Message> heldOne;
        private final List<Future<Message>> queued = new ArrayList<>();

        HeldBatch(TestDatabase database, ConnectionHooks.ConnectionHook atCommit, StatementHook beforePrepare)
                throws Exception {
            HikariDataSource pool = closeAfter(database.newPool(4));
            DataSource hooked = ConnectionHooks.aroundConnection(pool, (real, method, args) -> {
                boolean inHeldOne = Thread.currentThread() == heldThread;
                if (method.getName().equals("commit") && !inHeldOne) {
                    if (holdNext.compareAndSet(true, false)) {
                        heldThread = Thread.currentThread();
                        holding.countDown();
                        assertThat(released.await(30, TimeUnit.SECONDS)).isTrue();
                    } else {
                        atCommit.beforeCommit(real);
                    }
                }
                // The held batch's own later calls (its commit, restoring auto-commit) pass.
                if (method.getName().equals("prepareStatement") && !inHeldOne) {
                    beforePrepare.beforePrepare(real, (String) args[0]);
                }
                return ConnectionHooks.invoke(real, method, args);
            });
            // Without notifications, whose sender's own commits would meet the hooks too.
            store = closeAfter(JdbcThreadStore.builder().dataSource(hooked).tablePrefix(PREFIX)
                    .notifications(false).build());
            messages = closeAfter(WorkflowMessages.create(store));
            heldWorkflow = started();
        }

        long started() {
            long workflowId = newWorkflowId();
            messages.start(workflowId);
            return workflowId;
        }

        Message say(long workflowId, String content) {
            return messages.narrator(workflowId, "code", null).say(content, null);
        }

        /** Holds a first comment's batch at its commit, and queues {@code calls} behind it. */
        void queueBehindTheHeldOne(List<Callable<Message>> calls) throws Exception {
            holdNext.set(true);
            heldOne = threads.submit(() -> say(heldWorkflow, "held at its commit"));
            assertThat(holding.await(30, TimeUnit.SECONDS)).isTrue();
            for (Callable<Message> call : calls) {
                queued.add(threads.submit(call));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> store.queuedComments() == calls.size());
        }

        /** Lets the held batch commit; the queued calls then go to the database in one batch. */
        List<Future<Message>> release() {
            released.countDown();
            return queued;
        }

        void assertTheHeldOneStored() throws Exception {
            assertThat(heldOne.get(30, TimeUnit.SECONDS).content()).isEqualTo("held at its commit");
            assertThat(store.readAfter(heldWorkflow, 0, 100)).extracting(Message::content)
                    .containsExactly("held at its commit");
            assertThat(store.largestCommentBatch()).isEqualTo(2);
        }
    }
}
