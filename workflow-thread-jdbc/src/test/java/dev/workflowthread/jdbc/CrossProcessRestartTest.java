package dev.workflowthread.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.workflowthread.ActionType;
import dev.workflowthread.Message;
import dev.workflowthread.MessageType;
import dev.workflowthread.SendRequest;
import dev.workflowthread.SendResult;
import dev.workflowthread.StorageException;
import dev.workflowthread.WorkflowMessages;
import dev.workflowthread.WorkflowStatus;
import dev.workflowthread.WorkflowThreadConfig;
import dev.workflowthread.tck.ThreadAudit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The database restarts in the middle of a run: two worker JVMs run agent loops on eight
 * workflows while this JVM posts pauses, resumes, instructions and comments, and the database
 * service is restarted (PostgreSQL with {@code pg_ctlcluster … restart -m fast}, MariaDB shut down
 * and started). Every caller retries what failed, with its idempotency key. Afterwards: no control
 * message applied twice or lost, every instruction handed over once and answered once, no comment
 * stored twice by a retried call, seqs gap-free, and the loops working again within seconds of the
 * database's return.
 *
 * <p>It restarts the machine's service, so it runs only as root with the service's tools there;
 * otherwise it is skipped, saying why, unless {@code WORKFLOW_THREAD_TEST_REQUIRE} names the
 * database.
 */
class CrossProcessRestartTest {
    private static final String PREFIX = "wt_restart_";
    private static final int WORKFLOWS = 8;
    private static final int SENDERS = 2;
    private static final int SENDS_PER_SENDER = 300;
    /** How soon after the database answers again the loops must work again. */
    private static final Duration RECOVERY = Duration.ofSeconds(10);
    private static final String MARIADBD = "/usr/sbin/mariadbd";

    private final CrossProcessRun run = new CrossProcessRun();

    @AfterEach
    void stopEverything() throws Exception {
        run.close();
    }

    @ParameterizedTest(name = "on {0}")
    @EnumSource(value = TestDatabase.class, names = {"POSTGRESQL", "MARIADB"})
    void aDatabaseRestartMidRunLosesNothingAndDuplicatesNothing(TestDatabase database) throws Exception {
        database.assumeAvailable();
        assumeRestartable(database);
        database.dropTables(PREFIX);
        JdbcThreadStore store = JdbcThreadStore.builder().url(database.url()).tablePrefix(PREFIX)
                .connectionTimeout(Duration.ofSeconds(1)).maximumPoolSize(SENDERS + 2).build();
        run.closeAfter(store);
        WorkflowMessages messages = run.closeAfter(WorkflowMessages.create(store, WorkflowThreadConfig.builder()
                .pausedCheckInterval(Duration.ofMillis(100)).build()));
        List<Long> ids = run.startWorkflows(messages, WORKFLOWS);
        // A lease longer than the outage: an agent still answering an instruction when its lease
        // runs out loses it to another checkpoint (README), which is not what this test is about.
        for (String name : List.of("worker-1", "worker-2")) {
            run.worker(WorkerProcess.start(name, database, PREFIX, "retry", Duration.ofMinutes(1),
                    Duration.ofMillis(100), 2, ids));
        }
        run.workers().forEach(WorkerProcess::awaitReady);

        Map<Long, List<SendResult>> sent = new ConcurrentHashMap<>();
        ids.forEach(id -> sent.put(id, Collections.synchronizedList(new ArrayList<>())));
        AtomicInteger sendFailures = new AtomicInteger();
        AtomicInteger outcomesUnknown = new AtomicInteger();
        AtomicInteger progress = new AtomicInteger();
        CountDownLatch restartAt = new CountDownLatch(1);
        ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
        long backAt;
        try {
            List<Future<?>> posting = new ArrayList<>();
            for (int s = 0; s < SENDERS; s++) {
                Random random = new Random(11_000L + s);
                int sender = s;
                posting.add(senders.submit(() -> {
                    for (int i = 0; i < SENDS_PER_SENDER; i++) {
                        long id = ids.get(random.nextInt(ids.size()));
                        int roll = random.nextInt(100);
                        ActionType action = roll < 20 ? ActionType.PAUSE : roll < 40 ? ActionType.RESUME
                                : roll < 70 ? ActionType.INSTRUCTION : ActionType.COMMENT;
                        SendRequest request = SendRequest.of(action, action.wireName() + " from sender " + sender
                                + ", number " + i).withIdempotencyKey("sender-" + sender + "-" + i);
                        sent.get(id).add(sendUntilStored(messages, id, request, sendFailures, outcomesUnknown));
                        if (progress.incrementAndGet() == SENDERS * SENDS_PER_SENDER / 3) {
                            restartAt.countDown();
                        }
                    }
                    return null;
                }));
            }
            assertThat(restartAt.await(2, TimeUnit.MINUTES)).as("a third of the sends done").isTrue();
            long restartedAt = System.currentTimeMillis();
            restart(database);
            backAt = System.currentTimeMillis();
            System.out.printf(Locale.ROOT, "CrossProcessRestart on %s: the restart took %d ms%n",
                    database.displayName(), backAt - restartedAt);
            for (Future<?> future : posting) {
                future.get(2, TimeUnit.MINUTES);
            }
        } finally {
            senders.shutdownNow();
        }

        for (long id : ids) {
            sent.get(id).add(sendUntilStored(messages, id, SendRequest.of(ActionType.RESUME, "resume at the end")
                    .withIdempotencyKey("end-resume-" + id), sendFailures, outcomesUnknown));
        }
        // Every process's loops work again soon after the database answered again: each hands over
        // a message after it. Instructions go on coming until each did (which process takes one
        // is chance), so the slowest first hand-over is an upper bound of its recovery.
        AtomicInteger probes = new AtomicInteger();
        await().atMost(RECOVERY.plusSeconds(5)).pollInterval(Duration.ofMillis(100)).until(() -> {
            if (run.workers().stream().allMatch(w -> firstHandOverAfter(w, backAt) > 0)) {
                return true;
            }
            int probe = probes.getAndIncrement();
            long id = ids.get(probe % ids.size());
            sent.get(id).add(sendUntilStored(messages, id, SendRequest.of(ActionType.INSTRUCTION, "probe " + probe)
                    .withIdempotencyKey("probe-" + probe), sendFailures, outcomesUnknown));
            return false;
        });
        long slowest = 0;
        int outages = 0;
        for (WorkerProcess worker : run.workers()) {
            outages += reportsOf(worker, "OUTAGE").size();
            slowest = Math.max(slowest, firstHandOverAfter(worker, backAt) - backAt);
        }
        assertThat(Duration.ofMillis(slowest)).as("the slowest process's first hand-over after the restart")
                .isLessThan(RECOVERY);

        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200))
                .until(() -> ids.stream().allMatch(id -> messages.getPendingUserMessages(id).isEmpty()));
        for (long id : ids) {
            sent.get(id).add(sendUntilStored(messages, id, SendRequest.of(ActionType.CANCEL, "the test is over")
                    .withIdempotencyKey("end-cancel-" + id), sendFailures, outcomesUnknown));
        }
        for (WorkerProcess worker : run.workers()) {
            worker.awaitDone(Duration.ofMinutes(1));
            assertThat(worker.failures()).isEmpty();
        }

        Map<Long, Long> handed = new HashMap<>();
        run.workers().forEach(w -> w.handed().forEach(m -> handed.merge(m, 1L, Long::sum)));
        int accepted = 0;
        int instructions = 0;
        for (long id : ids) {
            List<Message> thread = messages.getMessages(id);
            ThreadAudit.assertGapFree(id, thread);
            accepted += ThreadAudit.assertControlsAppliedOnceInSeqOrder(thread, sent.get(id));
            instructions += ThreadAudit.assertInstructionsAnsweredOnce(thread, handed);
            Map<String, Long> comments = thread.stream().filter(m -> m.messageType() == MessageType.AGENT)
                    .collect(Collectors.groupingBy(Message::content, Collectors.counting()));
            // Each logical send is stored once, however often it was retried.
            List<Long> sentIds = sent.get(id).stream().map(SendResult::messageId).toList();
            assertThat(thread.stream().filter(m -> m.messageType() == MessageType.USER).map(Message::id))
                    .as("the user messages of workflow %s", id).containsExactlyInAnyOrderElementsOf(Set.copyOf(sentIds));
            assertThat(sentIds).doesNotHaveDuplicates();
            for (Message m : thread) {
                if (m.actionType() == ActionType.INSTRUCTION && m.messageType() == MessageType.USER) {
                    assertThat(comments.get("Worked on message " + m.id())).as("narrations of %s", m.id()).isEqualTo(1L);
                }
            }
            assertThat(messages.getState(id).status()).isEqualTo(WorkflowStatus.CANCELLED);
        }
        assertThat(instructions).isGreaterThan(SENDERS * SENDS_PER_SENDER / 5);
        System.out.printf(Locale.ROOT, "CrossProcessRestart on %s: %d sends (%d failed and were retried, %d of them"
                        + " outcome unknown), %d control messages applied once each, %d instructions handed over,"
                        + " answered and narrated once each; %d loop outages; the slowest process handed a message over %d ms"
                        + " after the database answered again%n", database.displayName(), SENDERS * SENDS_PER_SENDER,
                sendFailures.get(), outcomesUnknown.get(), accepted, instructions, outages, slowest);
    }

    /** Sends, and while the database is away sends the same request again, as a host would. */
    private static SendResult sendUntilStored(WorkflowMessages messages, long id, SendRequest request,
                                              AtomicInteger failures, AtomicInteger unknown) {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (true) {
            try {
                return messages.send(id, request);
            } catch (StorageException e) {
                failures.incrementAndGet();
                if (e instanceof dev.workflowthread.OutcomeUnknownException) {
                    unknown.incrementAndGet();
                }
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50)); // a host's back-off
            }
        }
    }

    /** When the worker's checkpoints first handed a message over after {@code after}, or 0 while they did not. */
    private static long firstHandOverAfter(WorkerProcess worker, long after) {
        return worker.reports().stream().filter(line -> line.startsWith("HANDED "))
                .mapToLong(line -> Long.parseLong(line.split(" ")[3])).filter(t -> t >= after).min().orElse(0);
    }

    private static List<Long> reportsOf(WorkerProcess worker, String kind) {
        return worker.reports().stream().filter(line -> line.startsWith(kind + " "))
                .map(line -> Long.valueOf(line.substring(kind.length() + 1))).toList();
    }

    /** Skips, saying why, unless this test can restart the database's service here. */
    private static void assumeRestartable(TestDatabase database) {
        String reason = null;
        if (!"root".equals(System.getProperty("user.name"))) {
            reason = "restarting the service needs root, but the tests run as " + System.getProperty("user.name");
        } else if (!database.url().contains("//127.0.0.1") && !database.url().contains("//localhost")) {
            reason = "the database is not this machine's service (" + Connections.withoutParameters(database.url()) + ")";
        } else if (database == TestDatabase.POSTGRESQL && (!Files.isExecutable(Path.of("/usr/bin/pg_ctlcluster"))
                || postgresVersion() == null)) {
            reason = "no pg_ctlcluster or no cluster in /etc/postgresql";
        } else if (database == TestDatabase.MARIADB && (!Files.isExecutable(Path.of(MARIADBD))
                || !Files.isExecutable(Path.of("/usr/bin/mariadb-admin"))
                || !Files.isExecutable(Path.of("/usr/sbin/start-stop-daemon")))) {
            reason = "no /usr/sbin/mariadbd, mariadb-admin or start-stop-daemon";
        }
        if (reason == null) {
            return;
        }
        String required = System.getenv().getOrDefault("WORKFLOW_THREAD_TEST_REQUIRE", "");
        if (Set.of(required.toLowerCase(Locale.ROOT).split(",")).contains(database.name().toLowerCase(Locale.ROOT))) {
            throw new IllegalStateException(database.displayName() + " is required (WORKFLOW_THREAD_TEST_REQUIRE) but the"
                    + " restart test cannot restart it: " + reason);
        }
        System.out.println("SKIPPED: restart test on " + database.displayName() + ": " + reason);
        Assumptions.abort("restart test on " + database.displayName() + " skipped: " + reason);
    }

    private static String postgresVersion() {
        try (var versions = Files.list(Path.of("/etc/postgresql"))) {
            List<String> names = versions.map(p -> p.getFileName().toString()).toList();
            return names.size() == 1 ? names.get(0) : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** Restarts the service and returns once it answers again. */
    private static void restart(TestDatabase database) throws Exception {
        if (database == TestDatabase.POSTGRESQL) {
            run("pg_ctlcluster", "--skip-systemctl-redirect", postgresVersion(), "main", "restart", "-m", "fast");
        } else {
            try {
                run("mariadb-admin", "--protocol=tcp", "-h", "127.0.0.1", "-u", "root", "shutdown");
                // Until the old server has exited: start-stop-daemon --oknodo takes one still
                // shutting down for a running one, and starts nothing.
                await().atMost(Duration.ofSeconds(60)).until(() -> ProcessHandle.allProcesses()
                        .noneMatch(p -> p.info().command().filter(MARIADBD::equals).isPresent()));
            } finally {
                // Whatever happened, the machine's service is started again.
                run("start-stop-daemon", "--start", "--oknodo", "--background", "--exec", MARIADBD);
            }
        }
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> answers(database));
    }

    private static boolean answers(TestDatabase database) {
        try (Connection connection = DriverManager.getConnection(database.url())) {
            return connection.isValid(2);
        } catch (Exception e) {
            return false;
        }
    }

    private static void run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
        }
    }
}
