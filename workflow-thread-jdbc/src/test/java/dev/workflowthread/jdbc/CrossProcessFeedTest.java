package dev.workflowthread.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.workflowthread.WorkflowMessages;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The live feed across processes: one JVM writes 10,000 agent comments over 50 workflows while
 * another follows all 50 with {@code subscribe(workflow, 0, listener)}. The follower must receive
 * every message of every workflow exactly once, in seq order, also when its database connections
 * (its pool's, and on PostgreSQL the one that listens) are cut from the server's side mid-run.
 */
class CrossProcessFeedTest {
    private static final String PREFIX = "wt_feed_";
    private static final int WORKFLOWS = 50;
    private static final int PER_WORKFLOW = 200;
    private static final String FOLLOWER = "wt_feed_follower";

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(value = TestDatabase.class, names = {"POSTGRESQL", "MARIADB"})
    void aFollowerInAnotherProcessReceivesEveryCommentOnceInOrder(TestDatabase database) throws Exception {
        followWhileWriting(database, false);
    }

    @ParameterizedTest
    @EnumSource(value = TestDatabase.class, names = {"POSTGRESQL", "MARIADB"})
    void aFollowerWhoseConnectionsAreKilledCatchesUpWithNoGapAndNoDuplicate(TestDatabase database) throws Exception {
        followWhileWriting(database, true);
    }

    private void followWhileWriting(TestDatabase database, boolean killConnections) throws Exception {
        database.assumeAvailable();
        database.dropTables(PREFIX);
        List<Long> workflows = LongStream.rangeClosed(1, WORKFLOWS).boxed().toList();
        try (JdbcThreadStore store = database.store(PREFIX); WorkflowMessages messages = WorkflowMessages.create(store)) {
            workflows.forEach(messages::start);
        }
        Path received = dir.resolve("received.txt");
        try (WorkerProcess follower = WorkerProcess.start("follower", CrossProcessFeed.Follower.class,
                database.taggedUrl(FOLLOWER), PREFIX, WorkerProcess.ids(workflows), received.toString());
             WorkerProcess writer = startWriterWhenReady(follower, database, workflows)) {
            int kills = 0;
            if (killConnections) {
                for (long atLeast : new long[] {2_000, 5_000, 8_000}) {
                    await().atMost(Duration.ofMinutes(2))
                            .until(() -> progress(writer, "WROTE ") >= atLeast || !writer.isAlive());
                    int killed = database.killSessionsOf(FOLLOWER);
                    System.out.printf("killed the follower's %d sessions on %s when the writer had written %d"
                                    + " comments and the follower received %d messages%n", killed,
                            database.displayName(), progress(writer, "WROTE "), progress(follower, "RECEIVED "));
                    kills += killed;
                }
                assertThat(kills).as("sessions of the follower killed").isPositive();
            }
            writer.awaitDone(Duration.ofMinutes(3));
            follower.awaitDone(Duration.ofMinutes(3));
            assertThat(follower.failures()).isEmpty();
        }
        assertEveryMessageOnceInOrder(received, workflows);
    }

    private static WorkerProcess startWriterWhenReady(WorkerProcess follower, TestDatabase database,
                                                      List<Long> workflows) {
        follower.awaitReady();
        WorkerProcess writer = WorkerProcess.start("writer", CrossProcessFeed.Writer.class, database.url(), PREFIX,
                WorkerProcess.ids(workflows), String.valueOf(PER_WORKFLOW), "8");
        writer.awaitReady();
        return writer;
    }

    /** The last count a worker reported after {@code label}. */
    private static long progress(WorkerProcess worker, String label) {
        List<String> reports = worker.reports();
        for (int i = reports.size() - 1; i >= 0; i--) {
            if (reports.get(i).startsWith(label)) {
                return Long.parseLong(reports.get(i).substring(label.length()));
            }
        }
        return 0;
    }

    private static void assertEveryMessageOnceInOrder(Path received, List<Long> workflows) throws Exception {
        Map<Long, List<String>> byWorkflow = new LinkedHashMap<>();
        workflows.forEach(id -> byWorkflow.put(id, new ArrayList<>()));
        long lines = 0;
        for (String line : Files.readAllLines(received, StandardCharsets.UTF_8)) {
            String[] parts = line.split(" ", 3);
            byWorkflow.get(Long.valueOf(parts[0])).add(parts[1] + " " + parts[2]);
            lines++;
        }
        for (long workflowId : workflows) {
            List<String> expected = new ArrayList<>();
            for (int i = 1; i <= PER_WORKFLOW; i++) {
                expected.add(i + " " + CrossProcessFeed.comment(workflowId, i));
            }
            expected.add((PER_WORKFLOW + 1) + " Workflow completed: all comments written");
            assertThat(byWorkflow.get(workflowId)).as("messages of workflow %d as received", workflowId)
                    .containsExactlyElementsOf(expected);
        }
        assertThat(lines).isEqualTo((long) WORKFLOWS * (PER_WORKFLOW + 1));
        System.out.printf("the follower received %d messages of %d workflows, each once and in order%n", lines,
                workflows.size());
    }
}
