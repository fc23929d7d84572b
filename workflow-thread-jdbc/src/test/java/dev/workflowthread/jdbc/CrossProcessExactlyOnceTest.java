package dev.workflowthread.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.workflowthread.ActionStatus;
import dev.workflowthread.ActionType;
import dev.workflowthread.Message;
import dev.workflowthread.SendRequest;
import dev.workflowthread.SendResult;
import dev.workflowthread.WorkflowMessages;
import dev.workflowthread.WorkflowStatus;
import dev.workflowthread.tck.ThreadAudit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Exactly once across processes: two orchestrator JVMs, four agent-loop threads each, guard the
 * same workflows while this JVM posts control messages and instructions into them. Everything is
 * checked afterwards from what the database holds and what the workers reported.
 *
 * <p>The sizes of the first test are system properties, so that {@code benchmarks/run} runs a
 * larger variant with the same audit: {@value #PROCESSES_PROPERTY} (default 2),
 * {@value #LOOPS_PROPERTY} (agent-loop threads a process, 4), {@value #WORKFLOWS_PROPERTY} (20) and
 * {@value #MESSAGES_PROPERTY} (5,000).
 */
class CrossProcessExactlyOnceTest {
    static final String PROCESSES_PROPERTY = "wt.exactlyOnce.processes";
    static final String LOOPS_PROPERTY = "wt.exactlyOnce.loops";
    static final String WORKFLOWS_PROPERTY = "wt.exactlyOnce.workflows";
    static final String MESSAGES_PROPERTY = "wt.exactlyOnce.messages";
    private static final String PREFIX = "wt_cross_";
    private static final int PROCESSES = Integer.getInteger(PROCESSES_PROPERTY, 2);
    private static final int LOOPS = Integer.getInteger(LOOPS_PROPERTY, 4);
    private static final int WORKFLOWS = Integer.getInteger(WORKFLOWS_PROPERTY, 20);
    private static final int MESSAGES = Integer.getInteger(MESSAGES_PROPERTY, 5_000);
    private static final int SENDERS = 4;
    private static final Duration POLL = Duration.ofMillis(100);

    private final CrossProcessRun run = new CrossProcessRun();

    @AfterEach
    void stopEverything() throws Exception {
        run.close();
    }

    private WorkerProcess worker(String name, TestDatabase database, String mode, Duration lease, List<Long> ids) {
        return worker(name, database, mode, lease, 4, ids);
    }

    private WorkerProcess worker(String name, TestDatabase database, String mode, Duration lease, int loops,
                                 List<Long> ids) {
        return run.worker(WorkerProcess.start(name, database, PREFIX, mode, lease, POLL, loops, ids));
    }

    @ParameterizedTest(name = "on {0}")
    @EnumSource(value = TestDatabase.class, names = {"POSTGRESQL", "MARIADB"})
    void processesApplyEachControlAndInstructionMessageOnceInSeqOrder(TestDatabase database) throws Exception {
        WorkflowMessages messages = run.service(database, PREFIX);
        List<Long> ids = run.startWorkflows(messages, WORKFLOWS);
        List<WorkerProcess> workers = new ArrayList<>();
        for (int p = 1; p <= PROCESSES; p++) {
            workers.add(worker("worker-" + p, database, "ack", Duration.ofMinutes(5), LOOPS, ids));
        }
        for (WorkerProcess worker : workers) {
            worker.awaitReady();
        }

        Map<Long, List<SendResult>> sent = new ConcurrentHashMap<>();
        ids.forEach(id -> sent.put(id, java.util.Collections.synchronizedList(new ArrayList<>())));
        ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
        try {
            List<Future<?>> posting = new ArrayList<>();
            for (int s = 0; s < SENDERS; s++) {
                Random random = new Random(7_000L + s);
                int sender = s;
                posting.add(senders.submit(() -> {
                    for (int i = 0; i < MESSAGES / SENDERS; i++) {
                        long id = ids.get(random.nextInt(ids.size()));
                        int roll = random.nextInt(100);
                        ActionType action = roll < 25 ? ActionType.PAUSE : roll < 50 ? ActionType.RESUME : ActionType.INSTRUCTION;
                        String content = action.wireName() + " from sender " + sender + ", number " + i;
                        sent.get(id).add(messages.send(id, SendRequest.of(action, content)));
                    }
                    return null;
                }));
            }
            for (Future<?> future : posting) {
                future.get(5, TimeUnit.MINUTES);
            }
        } finally {
            senders.shutdownNow();
        }
        for (long id : ids) {
            sent.get(id).add(messages.unpause(id)); // ends any pause, or is ignored
        }
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200))
                .until(() -> ids.stream().allMatch(id -> messages.getPendingUserMessages(id).isEmpty()));
        for (long id : ids) {
            sent.get(id).add(messages.cancel(id, "the test is over"));
        }
        Map<Long, Long> handed = new HashMap<>();
        for (WorkerProcess worker : workers) {
            worker.awaitDone(Duration.ofMinutes(2));
            assertThat(worker.failures()).as("failures of %s", worker).isEmpty();
            worker.handed().forEach(m -> handed.merge(m, 1L, Long::sum));
        }
        int accepted = 0;
        int instructions = 0;
        for (long id : ids) {
            List<Message> thread = messages.getMessages(id);
            ThreadAudit.assertGapFree(id, thread);
            accepted += ThreadAudit.assertControlsAppliedOnceInSeqOrder(thread, sent.get(id));
            instructions += ThreadAudit.assertInstructionsAnsweredOnce(thread, handed);
            assertThat(messages.getState(id).status()).isEqualTo(WorkflowStatus.CANCELLED);
        }
        assertThat(sent.values().stream().mapToInt(List::size).sum()).isEqualTo(MESSAGES + 2 * WORKFLOWS);
        assertThat(instructions).as("instructions posted").isGreaterThan(MESSAGES / 3);
        assertThat(accepted).as("control messages that really paused, resumed or cancelled").isGreaterThan(MESSAGES / 10);
        for (WorkerProcess worker : workers) {
            assertThat(worker.handed()).as("%s took its share", worker).isNotEmpty();
        }
        System.out.printf("CrossProcess on %s: %d processes of %d loops on %d workflows, %d messages posted,"
                        + " %d control messages applied once each, %d instructions handed over once and answered"
                        + " once (%s by each process)%n",
                database.displayName(), PROCESSES, LOOPS, WORKFLOWS, MESSAGES, accepted, instructions,
                workers.stream().map(w -> String.valueOf(w.handed().size())).collect(Collectors.joining(", ")));
    }

    @ParameterizedTest(name = "on {0}")
    @EnumSource(value = TestDatabase.class, names = {"POSTGRESQL", "MARIADB"})
    void instructionsHeldByAKilledProcessAreFinishedByTheOtherAfterTheLease(TestDatabase database) throws Exception {
        WorkflowMessages messages = run.service(database, PREFIX);
        List<Long> ids = run.startWorkflows(messages, 4);
        // Long enough that the survivor cannot take the doomed process's instructions over before
        // the kill, however slow the machine.
        Duration lease = Duration.ofSeconds(10);
        WorkerProcess doomed = worker("doomed", database, "hold", lease, ids);
        WorkerProcess survivor = worker("survivor", database, "ack", lease, ids);
        doomed.awaitReady();
        survivor.awaitReady();

        // Each process hears of a burst of instructions at once and takes all of it: send one
        // instruction per workflow at a time, until both processes took some.
        List<Long> instructions = new ArrayList<>();
        for (int round = 0; round < 100 && (instructions.size() < 20 || doomed.handed().isEmpty()
                || survivor.handed().isEmpty()); round++) {
            for (long id : ids) {
                instructions.add(messages.send(id, SendRequest.of(ActionType.INSTRUCTION,
                        "instruction " + instructions.size())).messageId());
            }
            await().atMost(Duration.ofMinutes(1)).until(() -> {
                Set<Long> taken = new HashSet<>(doomed.handed());
                taken.addAll(survivor.handed());
                return taken.containsAll(instructions);
            });
        }
        Set<Long> held = new HashSet<>(doomed.handed());
        assertThat(held).as("the doomed process holds some instructions").isNotEmpty();
        doomed.kill();

        // Killed while holding them: they are acknowledged, under its lease, and nobody answered.
        List<Message> stillOpen = ids.stream().flatMap(id -> messages.getPendingUserMessages(id).stream()).toList();
        assertThat(stillOpen).filteredOn(m -> held.contains(m.id())).as("held by the killed process")
                .hasSize(held.size()).allMatch(m -> m.actionStatus() == ActionStatus.ACKNOWLEDGED);

        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200))
                .until(() -> ids.stream().allMatch(id -> messages.getPendingUserMessages(id).isEmpty()));
        ids.forEach(id -> messages.cancel(id, "the test is over"));
        survivor.awaitDone(Duration.ofMinutes(1));
        assertThat(survivor.failures()).isEmpty();

        Map<Long, Long> survivorHanded = survivor.handed().stream()
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        for (long id : ids) {
            List<Message> thread = messages.getMessages(id);
            ThreadAudit.assertGapFree(id, thread);
            Map<Long, Integer> replies = ThreadAudit.replies(thread);
            for (Message m : thread) {
                if (instructions.contains(m.id())) {
                    assertThat(m.actionStatus()).as("instruction %s", m.id()).isEqualTo(ActionStatus.PROCESSED);
                    assertThat(replies.get(m.id())).as("replies to instruction %s", m.id()).isEqualTo(1);
                    assertThat(survivorHanded.get(m.id())).as("hand-overs of %s by the survivor", m.id()).isEqualTo(1L);
                }
            }
        }
        System.out.printf("CrossProcess on %s: %d instructions held by a killed process were answered once each"
                + " by the other after the lease%n", database.displayName(), held.size());
    }
}
