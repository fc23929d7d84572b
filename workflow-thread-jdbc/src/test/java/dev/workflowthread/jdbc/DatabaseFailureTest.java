package dev.workflowthread.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.workflowthread.ActionType;
import dev.workflowthread.CheckpointGuard;
import dev.workflowthread.Message;
import dev.workflowthread.SendRequest;
import dev.workflowthread.StorageException;
import dev.workflowthread.WorkflowMessages;
import dev.workflowthread.WorkflowState;
import dev.workflowthread.WorkflowThreadConfig;
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

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeEverything() throws Exception {
        for (AutoCloseable closeable : toClose) {
            closeable.close();
        }
    }

    private <T extends AutoCloseable> T closeAfter(T closeable) {
        toClose.add(0, closeable);
        return closeable;
    }

    private static synchronized long newWorkflowId() {
        return ++nextWorkflowId;
    }

    private WorkflowMessages service(JdbcThreadStore store) {
        closeAfter(store);
        // A short poll interval: after a failure, the checkpoint reads the store again soon.
        return closeAfter(WorkflowMessages.create(store, WorkflowThreadConfig.builder()
                .pollInterval(Duration.ofMillis(10)).build()));
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
        DataSource cutting = beforeCommit(pool, connection -> {
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
        assertThat(messages.getState(id)).isEqualTo(before);
        assertThat(messages.getMessages(id)).extracting(Message::content).containsExactly("first");

        messages.send(id, SendRequest.of(ActionType.PAUSE, "sent again"));
        List<Message> thread = messages.getMessages(id);
        ThreadAudit.assertGapFree(id, thread);
        assertThat(thread).extracting(Message::content).containsExactly("first", "sent again");
        assertThat(messages.getState(id).isPauseRequested()).isTrue();
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
        AtomicInteger deadlocks = new AtomicInteger(1);
        HikariDataSource pool = closeAfter(TestDatabase.H2.newPool(4));
        DataSource failing = beforeCommit(pool, connection -> {
            if (deadlocks.getAndDecrement() > 0) {
                connection.rollback();
                throw new SQLException("Deadlock found when trying to get lock (simulated)", "40001");
            }
        });
        WorkflowMessages messages = service(JdbcThreadStore.builder().dataSource(failing).tablePrefix(PREFIX).build());
        long id = newWorkflowId();
        messages.start(id);

        messages.send(id, SendRequest.of(ActionType.COMMENT, "written once"));

        assertThat(deadlocks.get()).isNegative();
        assertThat(messages.getMessages(id)).extracting(Message::content).containsExactly("written once");
    }

    @Test
    void anotherFailureAtCommitIsNotRetried() throws Exception {
        AtomicInteger commits = new AtomicInteger();
        HikariDataSource pool = closeAfter(TestDatabase.H2.newPool(4));
        AtomicBoolean failing = new AtomicBoolean();
        DataSource failingSource = beforeCommit(pool, connection -> {
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

    /** Runs {@code hook} on the real connection each time the store commits a transaction on it. */
    private static DataSource beforeCommit(DataSource dataSource, ConnectionHook hook) {
        return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class},
                (self, method, args) -> {
                    Object result = invoke(dataSource, method, args);
                    if (method.getName().equals("getConnection")) {
                        Connection real = (Connection) result;
                        return Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                                (proxy, connectionMethod, connectionArgs) -> {
                                    if (connectionMethod.getName().equals("commit")) {
                                        hook.beforeCommit(real);
                                    }
                                    return invoke(real, connectionMethod, connectionArgs);
                                });
                    }
                    return result;
                });
    }

    private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @FunctionalInterface
    private interface ConnectionHook {
        void beforeCommit(Connection connection) throws Exception;
    }
}
