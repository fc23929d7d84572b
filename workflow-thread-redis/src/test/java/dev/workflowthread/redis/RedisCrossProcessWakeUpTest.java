package dev.workflowthread.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.workflowthread.Checkpoint;
import dev.workflowthread.CheckpointGuard;
import dev.workflowthread.WorkflowMessages;
import dev.workflowthread.WorkflowStoppedException;
import dev.workflowthread.WorkflowThreadConfig;
import dev.workflowthread.jdbc.JdbcThreadStore;
import dev.workflowthread.jdbc.SchemaMode;
import dev.workflowthread.jdbc.TestDatabase;
import dev.workflowthread.jdbc.WorkerProcess;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import org.h2.tools.Server;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A checkpoint in another JVM obeys a pause, a resume and a cancel sent from here, woken through
 * Redis: the other JVM's store reads the watched states only every minute (every ten while Redis
 * is heard), and its checkpoint polls every ten minutes, so within the test's bounds only a Redis
 * signal can wake it. On MariaDB, and on H2 served over TCP.
 */
class RedisCrossProcessWakeUpTest {
    private static final String PREFIX = "wt_redis_wakeup_";
    private static final Duration WAIT = Duration.ofSeconds(30);

    @BeforeEach
    void redis() {
        TestRedis.assumeAvailable();
    }

    @Test
    void onMariaDb() throws Exception {
        TestDatabase.MARIADB.assumeAvailable();
        TestDatabase.MARIADB.dropTables(PREFIX);
        pauseResumeAndCancelFromHere(TestDatabase.MARIADB.url());
    }

    @Test
    void onAnH2Server(@TempDir Path folder) throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Server server = Server.createTcpServer("-tcpPort", String.valueOf(port), "-ifNotExists", "-baseDir",
                folder.toString()).start();
        try {
            pauseResumeAndCancelFromHere("jdbc:h2:tcp://localhost:" + port + "/wakeup;LOCK_TIMEOUT=20000");
        } finally {
            server.stop();
        }
    }

    private static void pauseResumeAndCancelFromHere(String url) throws Exception {
        String channel = TestRedis.newChannel();
        long workflow = System.currentTimeMillis();
        try (JdbcThreadStore store = JdbcThreadStore.builder().url(url).tablePrefix(PREFIX)
                .changeSignals(TestRedis.signals(channel)).build();
             WorkflowMessages messages = WorkflowMessages.create(store)) {
            messages.start(workflow);
            long subscribersHere = TestRedis.subscribers(channel);
            try (WorkerProcess agent = WorkerProcess.start("agent", AgentLoop.class, url, PREFIX,
                    String.valueOf(workflow), TestRedis.URI, channel, String.valueOf(subscribersHere + 1))) {
                agent.awaitReady();

                messages.pause(workflow, "checking the other process hears it through Redis");
                await().atMost(WAIT).until(() -> agent.reports().contains("PAUSED"));
                assertThat(agent.reports()).doesNotContain("RESUMED");

                messages.unpause(workflow);
                await().atMost(WAIT).until(() -> agent.reports().contains("RESUMED"));

                messages.cancel(workflow, "done checking");
                agent.awaitDone(WAIT);
                assertThat(agent.reports()).contains("STOPPED cancelled").noneMatch(r -> r.startsWith("FAILED"));
            }
        }
    }

    /**
     * An agent loop in a process of its own, heard through Redis. Reports {@code READY} once its
     * signals are subscribed, {@code PAUSED} when its subscription to the workflow hears the
     * pause, {@code RESUMED} when a check returns after waiting,
     * {@code STOPPED <status>} and {@code DONE}. Arguments: JDBC URL, table prefix, workflow id,
     * Redis URI, channel, and the number of subscribers the channel has once this one is on it.
     */
    public static final class AgentLoop {
        public static void main(String[] args) throws Exception {
            long workflowId = Long.parseLong(args[2]);
            RedisChangeSignals signals = RedisChangeSignals.builder().uri(args[3]).channel(args[4]).build();
            try (JdbcThreadStore store = JdbcThreadStore.builder().url(args[0]).tablePrefix(args[1])
                    .schemaMode(SchemaMode.VALIDATE).changeSignals(signals)
                    .changePollInterval(Duration.ofMinutes(1)).reconcileInterval(Duration.ofMinutes(10)).build();
                 WorkflowMessages messages = WorkflowMessages.create(store, WorkflowThreadConfig.builder()
                         .pausedCheckInterval(Duration.ofMinutes(10)).heartbeatInterval(Duration.ofMinutes(10)).build())) {
                CheckpointGuard guard = messages.guard(workflowId);
                // Heard through the store's watching, as the guard hears it.
                messages.subscribe(workflowId, messages.getState(workflowId).lastSeq(), event -> {
                    if (event.name().equals("workflow:paused")) {
                        report("PAUSED");
                    }
                });
                guard.check();
                await().atMost(WAIT).until(() -> TestRedis.subscribers(args[4]) >= Long.parseLong(args[5]));
                report("READY");
                while (true) {
                    try {
                        Checkpoint checkpoint = guard.check();
                        if (checkpoint.resumed()) {
                            report("RESUMED");
                        }
                    } catch (WorkflowStoppedException e) {
                        report("STOPPED " + e.status().wireName());
                        break;
                    }
                    LockSupport.parkNanos(1_000_000); // one step of the agent
                }
            } catch (RuntimeException e) {
                report("FAILED " + e);
            }
            report("DONE");
        }

        private static synchronized void report(String line) {
            System.out.println("WT " + line);
            System.out.flush();
        }
    }
}
