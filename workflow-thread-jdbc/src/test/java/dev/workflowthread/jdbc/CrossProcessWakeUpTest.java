package dev.workflowthread.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.workflowthread.Checkpoint;
import dev.workflowthread.CheckpointGuard;
import dev.workflowthread.WorkflowMessages;
import dev.workflowthread.WorkflowStoppedException;
import dev.workflowthread.WorkflowThreadConfig;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import org.h2.tools.Server;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A checkpoint in one JVM obeys a pause, a resume and a cancel sent from another, on each
 * database. The checkpoint's own poll interval is ten minutes, and so is the interval at which the
 * store reads the watched states on PostgreSQL, so only the store's watching of other processes
 * (a notification on PostgreSQL, polling the watched states elsewhere) can wake it within the
 * test's bounds. The test asserts that it happened, not how fast: that is for the
 * benchmarks.
 */
class CrossProcessWakeUpTest {
    private static final String PREFIX = "wt_wakeup_";
    private static final long WORKFLOW = 42;

    @ParameterizedTest
    @EnumSource(value = TestDatabase.class, names = {"POSTGRESQL", "MARIADB"})
    void aPausedCheckpointInAnotherProcessResumesAndStops(TestDatabase database) throws Exception {
        database.assumeAvailable();
        database.dropTables(PREFIX);
        try (JdbcThreadStore store = database.store(PREFIX)) {
            pauseResumeAndCancelFromHere(store, database.url());
        }
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
            String url = "jdbc:h2:tcp://localhost:" + port + "/wakeup;LOCK_TIMEOUT=20000";
            try (JdbcThreadStore store = JdbcThreadStore.builder().url(url).tablePrefix(PREFIX).build()) {
                pauseResumeAndCancelFromHere(store, url);
            }
        } finally {
            server.stop();
        }
    }

    private static void pauseResumeAndCancelFromHere(JdbcThreadStore store, String url) throws Exception {
        try (WorkflowMessages messages = WorkflowMessages.create(store)) {
            messages.start(WORKFLOW);
            try (WorkerProcess agent = WorkerProcess.start("agent", AgentLoop.class, url, PREFIX,
                    String.valueOf(WORKFLOW))) {
                agent.awaitReady();

                messages.pause(WORKFLOW, "checking the other process hears it");
                await().atMost(Duration.ofSeconds(60)).until(() -> messages.getState(WORKFLOW).paused());
                assertThat(agent.reports()).doesNotContain("RESUMED");

                messages.unpause(WORKFLOW);
                await().atMost(Duration.ofSeconds(60)).until(() -> agent.reports().contains("RESUMED"));

                messages.cancel(WORKFLOW, "done checking");
                agent.awaitDone(Duration.ofSeconds(60));
                assertThat(agent.reports()).contains("STOPPED cancelled").doesNotContain("FAILED");
            }
        }
    }

    /**
     * An agent loop in a process of its own, with a ten-minute poll interval and heartbeat. Reports
     * {@code READY}, {@code RESUMED} when a check returns after waiting, {@code STOPPED <status>},
     * and {@code DONE}. Arguments: JDBC URL, table prefix, workflow id.
     */
    public static final class AgentLoop {
        public static void main(String[] args) throws Exception {
            long workflowId = Long.parseLong(args[2]);
            // On PostgreSQL, only a notification can wake it in time: its states are read every ten minutes.
            try (JdbcThreadStore store = JdbcThreadStore.builder().url(args[0]).tablePrefix(args[1])
                    .schemaMode(SchemaMode.VALIDATE).reconcileInterval(Duration.ofMinutes(10)).build();
                 WorkflowMessages messages = WorkflowMessages.create(store, WorkflowThreadConfig.builder()
                         .pausedCheckInterval(Duration.ofMinutes(10)).heartbeatInterval(Duration.ofMinutes(10)).build())) {
                CheckpointGuard guard = messages.guard(workflowId);
                CrossProcessFeed.report("READY");
                while (true) {
                    try {
                        Checkpoint checkpoint = guard.check();
                        if (checkpoint.resumed()) {
                            CrossProcessFeed.report("RESUMED");
                        }
                    } catch (WorkflowStoppedException e) {
                        CrossProcessFeed.report("STOPPED " + e.status().wireName());
                        break;
                    }
                    LockSupport.parkNanos(1_000_000); // one step of the agent
                }
            } catch (RuntimeException e) {
                CrossProcessFeed.report("FAILED " + e);
            }
            CrossProcessFeed.report("DONE");
        }
    }
}
