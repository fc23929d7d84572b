package dev.workflowthread.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.workflowthread.ActionType;
import dev.workflowthread.CheckpointGuard;
import dev.workflowthread.Message;
import dev.workflowthread.OutcomeUnknownException;
import dev.workflowthread.SendResult;
import dev.workflowthread.ActionStatus;
import dev.workflowthread.SendRequest;
import dev.workflowthread.StorageException;
import dev.workflowthread.WorkflowMessages;
import dev.workflowthread.WorkflowState;
import dev.workflowthread.WorkflowThreadConfig;
import dev.workflowthread.WorkflowThreadObserver;
import dev.workflowthread.tck.ThreadAudit;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.h2.tools.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The database fails for real (a stopped server, a connection cut by the server, an exhausted
 * pool): the library says so with a {@link StorageException} naming the operation, nothing is
 * half-written, and everything works again once the database is back.
 */
class DatabaseFailureTest {
    private static final String PREFIX = "wt_failure_";
    private static long nextWorkflowId = System.currentTimeMillis() * 1_000;

    private final Closing closing = new Closing();

    @AfterEach
    void closeEverything() throws Exception {
        closing.close();
    }

    private <T extends AutoCloseable> T closeAfter(T closeable) {
        return closing.after(closeable);
    }

    private static synchronized long newWorkflowId() {
        return ++nextWorkflowId;
    }

    private WorkflowMessages service(JdbcThreadStore store) {
        closeAfter(store);
        // A short poll interval: after a failure, the checkpoint reads the store again soon.
        return closeAfter(WorkflowMessages.create(store, WorkflowThreadConfig.builder()
                .pausedCheckInterval(Duration.ofMillis(10)).build()));
    }

    @Test
    void withTheH2ServerStoppedSendAndCheckFailClearlyAndAllWorksAgainWhenItIsBack(@TempDir Path folder) throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Server server = Server.createTcpServer("-tcpPort", String.valueOf(port), "-ifNotExists", "-baseDir", folder.toString()).start();
        try {
            JdbcThreadStore store = JdbcThreadStore.builder()
                    .url("jdbc:h2:tcp://localhost:" + port + "/failure_test")
                    .connectionTimeout(Duration.ofMillis(500))
                    .build();
            WorkflowMessages messages = service(store);
            long id = newWorkflowId();
            messages.start(id);
            CheckpointGuard guard = messages.guard(id);
            guard.check();
            messages.send(id, SendRequest.of(ActionType.COMMENT, "before the outage"));
            WorkflowState before = messages.getState(id);

            server.stop();

            StorageException sendFailure = catchThrowableOfType(StorageException.class,
                    () -> messages.send(id, SendRequest.of(ActionType.PAUSE, "during the outage")));
            assertThat(sendFailure).as("send while the database is down").isNotNull();
            assertThat(sendFailure.operation()).contains("workflow " + id);
            StorageException checkFailure = catchThrowableOfType(StorageException.class, guard::check);
            assertThat(checkFailure).as("check() while the database is down").isNotNull();
            assertThat(checkFailure.operation()).contains("workflow " + id);

            server = Server.createTcpServer("-tcpPort", String.valueOf(port), "-ifNotExists", "-baseDir", folder.toString()).start();

            // The pool may hand out a connection from before the outage once more; it drops it
            // when it fails, so the store answers again within a few calls.
            await().atMost(Duration.ofSeconds(20)).ignoreExceptionsInstanceOf(StorageException.class)
                    .until(() -> messages.getState(id).equals(before));
            assertThat(guard.check().messages()).extracting(Message::content).containsExactly("before the outage");
            messages.send(id, SendRequest.of(ActionType.COMMENT, "after the outage"));
            List<Message> thread = messages.getMessages(id);
            ThreadAudit.assertGapFree(id, thread);
            assertThat(thread).extracting(Message::content).containsExactly("before the outage", "after the outage");
        } finally {
            server.stop();
        }
    }

    @ParameterizedTest(name = "on {0}")
    @EnumSource(value = TestDatabase.class, names = {"POSTGRESQL", "MARIADB"})
    void aConnectionCutByTheServerJustBeforeCommitLeavesNothingHalfWritten(TestDatabase database) throws Exception {
        database.assumeAvailable();
        AtomicBoolean cutNextCommit = new AtomicBoolean();
        AtomicInteger cuts = new AtomicInteger();
        HikariDataSource pool = closeAfter(database.newPool(4));
        DataSource cutting = ConnectionHooks.beforeCommit(pool, connection -> {
            if (cutNextCommit.compareAndSet(true, false)) {
                database.kill(database.sessionId(connection));
                cuts.incrementAndGet();
            }
        });
        WorkflowMessages messages = service(JdbcThreadStore.builder().dataSource(cutting).tablePrefix(PREFIX).build());
        long id = newWorkflowId();
        messages.start(id);
        messages.send(id, SendRequest.of(ActionType.INSTRUCTION, "first"));
        WorkflowState before = messages.getState(id);

        cutNextCommit.set(true);
        StorageException failure = catchThrowableOfType(StorageException.class,
                () -> messages.send(id, SendRequest.of(ActionType.PAUSE, "lost with its connection")));

        assertThat(cuts).hasValue(1);
        assertThat(failure).as("send whose connection was cut").isNotNull();
        assertThat(failure.operation()).isEqualTo("commit to workflow " + id);
        // The connection died under the COMMIT (57P01 on PostgreSQL): the library cannot know.
        assertThat(failure).isInstanceOf(OutcomeUnknownException.class).hasMessageContaining("outcome unknown");
        assertThat(messages.getState(id)).isEqualTo(before);
        assertThat(messages.getMessages(id)).extracting(Message::content).containsExactly("first");

        messages.send(id, SendRequest.of(ActionType.PAUSE, "sent again"));
        List<Message> thread = messages.getMessages(id);
        ThreadAudit.assertGapFree(id, thread);
        assertThat(thread).extracting(Message::content).containsExactly("first", "sent again");
        assertThat(messages.getState(id).isPauseRequested()).isTrue();
    }

    @ParameterizedTest(name = "on {0}")
    @EnumSource(value = TestDatabase.class, names = {"POSTGRESQL", "MARIADB"})
    void aConnectionTerminatedDuringCommitIsOutcomeUnknownAndTheRetryWithItsKeyStoresItOnce(TestDatabase database)
            throws Exception {
        database.assumeAvailable();
        AtomicBoolean cutNextCommit = new AtomicBoolean();
        HikariDataSource pool = closeAfter(database.newPool(4));
        DataSource cutting = ConnectionHooks.beforeCommit(pool, connection -> {
            if (cutNextCommit.compareAndSet(true, false)) {
                database.kill(database.sessionId(connection));
            }
        });
        WorkflowMessages messages = service(JdbcThreadStore.builder().dataSource(cutting).tablePrefix(PREFIX).build());
        long id = newWorkflowId();
        messages.start(id);
        SendRequest cancel = SendRequest.of(ActionType.CANCEL, "stop").withIdempotencyKey("cancel-" + id);

        cutNextCommit.set(true);
        OutcomeUnknownException unknown = catchThrowableOfType(OutcomeUnknownException.class,
                () -> messages.send(id, cancel));
        SendResult retried = messages.send(id, cancel);
        SendResult again = messages.send(id, cancel);

        assertThat(unknown).isNotNull();
        assertThat(again).isEqualTo(retried);
        assertThat(messages.getMessages(id)).extracting(Message::id).containsExactly(retried.messageId());
    }

    @ParameterizedTest(name = "on {0}")
    @EnumSource(value = TestDatabase.class, names = {"POSTGRESQL", "MARIADB"})
    void aCommitWhoseAnswerIsLostIsOutcomeUnknownAndTheRetryWithItsKeyStoresNothingNew(TestDatabase database)
            throws Exception {
        database.assumeAvailable();
        AnswerDroppingProxy proxy = closeAfter(AnswerDroppingProxy.inFrontOf(database.url(),
                database == TestDatabase.POSTGRESQL ? 5432 : 3306));
        HikariConfig config = new HikariConfig();
        // pgjdbc names a statement it ran five times and sends only the name after: keep the text.
        config.setJdbcUrl(database == TestDatabase.POSTGRESQL
                ? proxy.url() + (proxy.url().contains("?") ? "&" : "?") + "prepareThreshold=0" : proxy.url());
        config.setMaximumPoolSize(4);
        config.setConnectionTimeout(10_000);
        HikariDataSource pool = closeAfter(new HikariDataSource(config));
        // Without PostgreSQL's notifications: their sender's own COMMITs would meet the proxy too.
        WorkflowMessages messages = service(JdbcThreadStore.builder().dataSource(pool).tablePrefix(PREFIX)
                .notifications(false).build());
        long id = newWorkflowId();
        messages.start(id);
        CheckpointGuard guard = messages.guard(id);
        messages.send(id, SendRequest.of(ActionType.INSTRUCTION, "use tabs"));
        Message instruction = guard.check().instructions().get(0);
        SendRequest comment = SendRequest.of(ActionType.COMMENT, "stored, though its answer was lost")
                .withIdempotencyKey("comment-" + id);

        proxy.dropTheNextCommitsAnswer();
        OutcomeUnknownException sendUnknown = catchThrowableOfType(OutcomeUnknownException.class,
                () -> messages.send(id, comment));
        List<Message> afterLostAnswer = messages.getMessages(id);
        SendResult retried = messages.send(id, comment);

        proxy.dropTheNextCommitsAnswer();
        OutcomeUnknownException acknowledgeUnknown = catchThrowableOfType(OutcomeUnknownException.class,
                () -> guard.acknowledge(instruction, "on it"));
        Message reply = guard.acknowledge(instruction, "on it");

        proxy.dropTheNextCommitsAnswer();
        AgentNarratorCall narration = () -> guard.narrator("code", null)
                .say("Reading file: a.txt", null, "read-a-" + id);
        OutcomeUnknownException narrationUnknown = catchThrowableOfType(OutcomeUnknownException.class,
                narration::say);
        Message narrated = narration.say();

        assertThat(proxy.dropped()).isEqualTo(3);
        for (OutcomeUnknownException unknown : List.of(sendUnknown, acknowledgeUnknown, narrationUnknown)) {
            assertThat(unknown).isNotNull().hasMessageContaining("outcome unknown");
        }
        // The first attempt was stored: its retry returns it and stores nothing new.
        assertThat(afterLostAnswer).extracting(Message::content)
                .containsExactly("use tabs", "stored, though its answer was lost");
        assertThat(retried.messageId()).isEqualTo(afterLostAnswer.get(1).id());
        List<Message> thread = messages.getMessages(id);
        ThreadAudit.assertGapFree(id, thread);
        assertThat(thread).extracting(Message::content).containsExactly("use tabs",
                "stored, though its answer was lost", "on it", "Reading file: a.txt");
        assertThat(thread.get(2)).isEqualTo(reply);
        assertThat(thread.get(3)).isEqualTo(narrated);
        assertThat(thread.get(0).actionStatus()).isEqualTo(ActionStatus.PROCESSED);
    }

    @ParameterizedTest(name = "on {0}")
    @EnumSource(value = TestDatabase.class, names = {"MARIADB"})
    void aCommitThatReturnedIsASuccessEvenWhenRestoringAutoCommitFails(TestDatabase database) throws Exception {
        // MariaDB's driver sends "set autocommit=1" after the commit: on a connection the server
        // closed just then, that fails although the transaction is stored.
        database.assumeAvailable();
        AtomicBoolean cutAfterNextCommit = new AtomicBoolean();
        AtomicBoolean committed = new AtomicBoolean();
        AtomicInteger failedRestores = new AtomicInteger();
        HikariDataSource pool = closeAfter(database.newPool(4));
        DataSource cutting = ConnectionHooks.aroundConnection(pool, (real, method, args) -> {
            if (method.getName().equals("commit") && cutAfterNextCommit.compareAndSet(true, false)) {
                long session = database.sessionId(real);
                Object result = ConnectionHooks.invoke(real, method, args);
                committed.set(true);
                database.kill(session);
                return result;
            }
            if (method.getName().equals("setAutoCommit") && Boolean.TRUE.equals(args[0])
                    && committed.compareAndSet(true, false)) {
                try {
                    return ConnectionHooks.invoke(real, method, args);
                } catch (SQLException e) {
                    failedRestores.incrementAndGet();
                    throw e;
                }
            }
            return ConnectionHooks.invoke(real, method, args);
        });
        WorkflowMessages messages = service(JdbcThreadStore.builder().dataSource(cutting).tablePrefix(PREFIX).build());
        long id = newWorkflowId();
        messages.start(id);
        messages.pause(id, "hold on");
        WorkflowState paused = messages.getState(id);

        cutAfterNextCommit.set(true);
        SendResult resume = messages.unpause(id);

        assertThat(failedRestores).as("restores of auto-commit that failed").hasValue(1);
        assertThat(resume.actionTaken()).isEqualTo(dev.workflowthread.ActionTaken.RESUME_REQUESTED);
        assertThat(messages.getMessages(id)).extracting(Message::id).endsWith(resume.messageId());
        assertThat(messages.getState(id).version()).isEqualTo(paused.version() + 1);
        // The connection is gone from the pool: the next writes work.
        messages.send(id, SendRequest.of(ActionType.COMMENT, "after"));
        ThreadAudit.assertGapFree(id, messages.getMessages(id));
    }

    @ParameterizedTest(name = "on {0}")
    @EnumSource(TestDatabase.class)
    void withThePoolExhaustedSendAndCheckFailClearlyAndWorkOnceAConnectionIsFree(TestDatabase database) throws Exception {
        database.assumeAvailable();
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(database.url());
        config.setMaximumPoolSize(2);
        config.setConnectionTimeout(250);
        HikariDataSource pool = closeAfter(new HikariDataSource(config));
        WorkflowMessages messages = service(JdbcThreadStore.builder().dataSource(pool).tablePrefix(PREFIX).build());
        long id = newWorkflowId();
        messages.start(id);
        CheckpointGuard guard = messages.guard(id);
        guard.check();
        messages.send(id, SendRequest.of(ActionType.COMMENT, "while there was room"));
        WorkflowState before = messages.getState(id);

        List<Connection> taken = new ArrayList<>(List.of(pool.getConnection(), pool.getConnection()));
        try {
            StorageException sendFailure = catchThrowableOfType(StorageException.class,
                    () -> messages.send(id, SendRequest.of(ActionType.COMMENT, "no room")));
            assertThat(sendFailure).isNotNull();
            assertThat(sendFailure.operation()).contains("workflow " + id);
            assertThat(sendFailure).hasRootCauseInstanceOf(SQLException.class);
            assertThat(catchThrowableOfType(StorageException.class, guard::check)).isNotNull();
        } finally {
            for (Connection connection : taken) {
                connection.close();
            }
        }

        assertThat(messages.getState(id)).isEqualTo(before);
        assertThat(guard.check().messages()).extracting(Message::content).containsExactly("while there was room");
        messages.send(id, SendRequest.of(ActionType.COMMENT, "room again"));
        assertThat(messages.getMessages(id)).extracting(Message::content)
                .containsExactly("while there was room", "room again");
    }

    @Test
    void aDeadlockReportedAtCommitIsRetriedAndAppliesOnce() throws Exception {
        // The database rolls the transaction back and reports a deadlock (SQLState 40001) once;
        // the store runs the whole transaction again.
        // Armed once the store is built: the schema scripts' own retry would absorb it otherwise.
        AtomicInteger deadlocks = new AtomicInteger(0);
        HikariDataSource pool = closeAfter(TestDatabase.H2.newPool(4));
        DataSource failing = ConnectionHooks.beforeCommit(pool, connection -> {
            if (deadlocks.getAndDecrement() > 0) {
                connection.rollback();
                throw new SQLException("Deadlock found when trying to get lock (simulated)", "40001");
            }
        });
        List<String> retries = new java.util.concurrent.CopyOnWriteArrayList<>();
        WorkflowThreadObserver observer = new WorkflowThreadObserver() {
            @Override
            public void storeRetried(String operation, Throwable cause) {
                retries.add(operation + ": " + ((SQLException) cause).getSQLState());
            }
        };
        WorkflowMessages messages = service(JdbcThreadStore.builder().dataSource(failing).tablePrefix(PREFIX)
                .observer(observer).build());
        long id = newWorkflowId();
        deadlocks.set(1);
        messages.start(id);

        messages.send(id, SendRequest.of(ActionType.COMMENT, "written once"));

        assertThat(deadlocks.get()).isNegative();
        assertThat(messages.getMessages(id)).extracting(Message::content).containsExactly("written once");
        assertThat(retries).as("the observer is told of the retry").containsExactly("start workflow " + id + ": 40001");
    }

    @Test
    void anotherFailureAtCommitIsNotRetried() throws Exception {
        AtomicInteger commits = new AtomicInteger();
        HikariDataSource pool = closeAfter(TestDatabase.H2.newPool(4));
        AtomicBoolean failing = new AtomicBoolean();
        DataSource failingSource = ConnectionHooks.beforeCommit(pool, connection -> {
            if (failing.get()) {
                commits.incrementAndGet();
                connection.rollback();
                throw new SQLException("disk full (simulated)", "53100");
            }
        });
        WorkflowMessages messages = service(JdbcThreadStore.builder().dataSource(failingSource).tablePrefix(PREFIX).build());
        long id = newWorkflowId();
        messages.start(id);
        failing.set(true);

        StorageException failure = catchThrowableOfType(StorageException.class,
                () -> messages.send(id, SendRequest.of(ActionType.COMMENT, "never stored")));

        assertThat(failure).isNotNull();
        assertThat(failure).hasMessageContaining("disk full");
        assertThat(commits).hasValue(1);
        failing.set(false);
        assertThat(messages.getMessages(id)).isEmpty();
    }

    @FunctionalInterface
    private interface AgentNarratorCall {
        Message say();
    }
}
