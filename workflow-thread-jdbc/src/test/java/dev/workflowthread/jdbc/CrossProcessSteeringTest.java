package dev.workflowthread.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.workflowthread.ActionStatus;
import dev.workflowthread.ActionType;
import dev.workflowthread.Message;
import dev.workflowthread.MessageType;
import dev.workflowthread.SendRequest;
import dev.workflowthread.SendResult;
import dev.workflowthread.StopReason;
import dev.workflowthread.WorkflowMessages;
import dev.workflowthread.WorkflowStatus;
import dev.workflowthread.tck.ThreadAudit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Steering across processes: a stop token in a worker JVM fires after an urgent instruction and
 * after a cancel sent from this JVM, and a question asked in a worker JVM gets the answer sent
 * from here, each on eight workflows at once, each exactly once, within the store's wake-up bound. The workers'
 * guards poll every ten minutes and, on PostgreSQL, their stores read the watched states every
 * ten minutes too: only a notification (PostgreSQL, documented as milliseconds) or the store's
 * change poll (MariaDB, {@link #CHANGE_POLL} here) can wake them in time. The bound asserted is
 * that wake-up plus {@link #MARGIN} for the work after it on a shared machine; the figures are
 * printed, and measured properly in the benchmarks.
 */
class CrossProcessSteeringTest {
    private static final String PREFIX = "wt_steer_";
    private static final int WORKFLOWS = 8;
    /** The workers' stores' change poll: what wakes them on MariaDB. */
    private static final Duration CHANGE_POLL = Duration.ofMillis(50);
    /** The guards' own poll interval: longer than the test, so that it wakes nobody. */
    private static final Duration GUARD_POLL = Duration.ofMinutes(10);
    /**
     * What the work around the wake-up may take on a loaded machine: the send's commit, the
     * store's read of the open messages, the worker's report through a pipe. On two cores shared
     * with other builds (load averages of 16 seen) single firings took up to 0.8 s.
     */
    private static final Duration MARGIN = Duration.ofSeconds(2);
    private static final Duration LEASE = Duration.ofMinutes(5);
    private static final Duration WAIT = Duration.ofSeconds(60);

    private final CrossProcessRun run = new CrossProcessRun();

    @AfterEach
    void stopEverything() throws Exception {
        run.close();
    }

    private WorkerProcess worker(String name, TestDatabase database, String mode, List<Long> ids) {
        WorkerProcess worker = run.worker(WorkerProcess.start(name, database, PREFIX, mode, LEASE, GUARD_POLL,
                CHANGE_POLL, ids));
        worker.awaitReady();
        return worker;
    }

    /** How late the store may tell the worker of a change sent here, with the margin. */
    private static Duration bound(TestDatabase database) {
        return database == TestDatabase.POSTGRESQL ? MARGIN : CHANGE_POLL.plus(MARGIN);
    }

    @ParameterizedTest(name = "on {0}")
    @EnumSource(value = TestDatabase.class, names = {"POSTGRESQL", "MARIADB"})
    void stopTokensInAnotherProcessFireOnceForAnUrgentInstructionThenForACancelSentHere(TestDatabase database)
            throws Exception {
        WorkflowMessages messages = run.service(database, PREFIX);
        List<Long> ids = run.startWorkflows(messages, WORKFLOWS);
        WorkerProcess worker = worker("stopper", database, "stop", ids);

        awaitArmed(worker, ids, 1);
        Map<Long, Long> urgentSentAt = new HashMap<>();
        Map<Long, Long> urgent = new HashMap<>();
        for (long id : ids) {
            urgentSentAt.put(id, System.currentTimeMillis());
            urgent.put(id, messages.send(id, new SendRequest("Use the design system's button instead",
                    ActionType.INSTRUCTION, Map.of(Message.DELIVERY, "interrupt"), "alice")).messageId());
        }
        // The step after the firing begins with a check, which hands the instruction over.
        awaitArmed(worker, ids, 2);
        Map<Long, Long> cancelSentAt = new HashMap<>();
        Map<Long, Long> cancel = new HashMap<>();
        for (long id : ids) {
            cancelSentAt.put(id, System.currentTimeMillis());
            cancel.put(id, messages.cancel(id, "the person stopped it").messageId());
        }
        worker.awaitDone(WAIT);
        assertThat(worker.failures()).isEmpty();

        List<Long> latencies = new ArrayList<>();
        Map<Long, Long> handed = new HashMap<>();
        worker.handed().forEach(m -> handed.merge(m, 1L, Long::sum));
        for (long id : ids) {
            List<Fired> fired = Fired.of(worker, id);
            assertThat(fired).as("tokens of workflow %s: %s", id, fired).extracting(Fired::reason).containsExactly(
                    new StopReason(StopReason.Kind.URGENT_MESSAGE, urgent.get(id)),
                    new StopReason(StopReason.Kind.CANCEL, cancel.get(id)));
            latencies.add(fired.get(0).atMillis() - urgentSentAt.get(id));
            latencies.add(fired.get(1).atMillis() - cancelSentAt.get(id));
            assertThat(worker.reports()).as("stops of workflow %s", id).filteredOn(l -> l.startsWith("STOPPED " + id + " "))
                    .containsExactly("STOPPED " + id + " WorkflowCancelledException");

            List<Message> thread = messages.getMessages(id);
            ThreadAudit.assertGapFree(id, thread);
            assertThat(handed.get(urgent.get(id))).as("hand-overs of the urgent instruction of %s", id).isEqualTo(1L);
            assertThat(ThreadAudit.replies(thread).get(urgent.get(id))).as("replies to it").isEqualTo(1);
            assertThat(find(thread, urgent.get(id)).actionStatus()).isEqualTo(ActionStatus.PROCESSED);
            assertThat(thread).filteredOn(m -> m.messageType() == MessageType.SYSTEM && m.content().startsWith("Interrupting"))
                    .as("notices of the interruption of %s", id).extracting(Message::content)
                    .containsExactly("Interrupting " + CrossProcessWorker.AGENT + " agent for an urgent instruction");
            assertThat(messages.getState(id).status()).isEqualTo(WorkflowStatus.CANCELLED);
        }
        assertThat(handed.keySet()).as("nothing but the urgent instructions was handed over")
                .containsExactlyInAnyOrderElementsOf(urgent.values());
        assertWithinBound(database, "token fired", latencies);
    }

    @ParameterizedTest(name = "on {0}")
    @EnumSource(value = TestDatabase.class, names = {"POSTGRESQL", "MARIADB"})
    void aQuestionAskedInAnotherProcessGetsTheFirstAnswerSentHereOnceAndASecondIsIgnored(TestDatabase database)
            throws Exception {
        WorkflowMessages messages = run.service(database, PREFIX);
        List<Long> ids = run.startWorkflows(messages, WORKFLOWS);
        WorkerProcess asker = worker("asker", database, "ask", ids);
        // Agent loops of a third process on the same workflows must not take the answers.
        WorkerProcess bystander = run.worker(WorkerProcess.start("bystander", database, PREFIX, "ack", LEASE,
                Duration.ofMillis(100), 2, ids));
        bystander.awaitReady();

        Map<Long, Long> questions = new HashMap<>();
        await().atMost(WAIT).until(() -> {
            for (long id : ids) {
                questions.computeIfAbsent(id, w -> messages.getMessages(w).stream().filter(Message::isQuestion)
                        .map(Message::id).findFirst().orElse(null));
            }
            return questions.values().stream().noneMatch(Objects::isNull) || !asker.failures().isEmpty();
        });
        assertThat(asker.failures()).isEmpty();

        Map<Long, Long> sentAt = new HashMap<>();
        Map<Long, Long> answers = new HashMap<>();
        Map<Long, Long> late = new HashMap<>();
        for (long id : ids) {
            String choice = CrossProcessWorker.OPTIONS.get(0);
            sentAt.put(id, System.currentTimeMillis());
            SendResult first = messages.send(id, new SendRequest(choice, ActionType.COMMENT,
                    Map.of(Message.IN_REPLY_TO, questions.get(id), Message.CHOICE, choice), "alice"));
            assertThat(first.actionStatus()).as("the first answer to %s", id).isEqualTo(ActionStatus.PENDING);
            answers.put(id, first.messageId());
            String other = CrossProcessWorker.OPTIONS.get(1);
            SendResult second = messages.send(id, new SendRequest(other, ActionType.COMMENT,
                    Map.of(Message.IN_REPLY_TO, questions.get(id), Message.CHOICE, other), "bob"));
            assertThat(second.actionStatus()).as("the second answer to %s", id).isEqualTo(ActionStatus.IGNORED);
            assertThat(second.reason()).contains("question " + questions.get(id) + " was closed already");
            late.put(id, second.messageId());
        }
        await().atMost(WAIT).until(() -> ids.stream().allMatch(id -> answerOf(asker, id).isPresent())
                || !asker.failures().isEmpty());
        ids.forEach(id -> messages.cancel(id, "the test is over"));
        asker.awaitDone(WAIT);
        bystander.awaitDone(WAIT);
        assertThat(asker.failures()).isEmpty();
        assertThat(bystander.failures()).isEmpty();

        List<Long> latencies = new ArrayList<>();
        for (long id : ids) {
            assertThat(asker.reports()).as("answers handed to the asker of %s", id)
                    .filteredOn(l -> l.startsWith("ANSWER " + id + " ")).hasSize(1);
            String[] answer = answerOf(asker, id).orElseThrow();
            assertThat(List.of(answer).subList(2, 6)).as("the answer to %s", id)
                    .containsExactly(String.valueOf(answers.get(id)), CrossProcessWorker.OPTIONS.get(0), "alice", "false");
            latencies.add(Long.parseLong(answer[6]) - sentAt.get(id));

            List<Message> thread = messages.getMessages(id);
            ThreadAudit.assertGapFree(id, thread);
            assertThat(find(thread, answers.get(id)).actionStatus()).isEqualTo(ActionStatus.PROCESSED);
            assertThat(find(thread, late.get(id)).actionStatus()).isEqualTo(ActionStatus.IGNORED);
            assertThat(thread).filteredOn(m -> m.messageType() == MessageType.SYSTEM
                            && m.content().startsWith("Question answered by "))
                    .as("notices closing the question of %s", id).extracting(Message::content)
                    .containsExactly("Question answered by alice: " + CrossProcessWorker.OPTIONS.get(0));
            assertThat(messages.getState(id).status()).isEqualTo(WorkflowStatus.CANCELLED);
        }
        List<Long> handed = Stream.concat(asker.handed().stream(), bystander.handed().stream()).toList();
        assertThat(handed).as("no checkpoint took an answer").doesNotContainAnyElementsOf(answers.values())
                .doesNotContainAnyElementsOf(late.values());
        assertWithinBound(database, "answer handed over", latencies);
    }

    private static void awaitArmed(WorkerProcess worker, List<Long> ids, int step) {
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(worker.failures()).isEmpty();
            assertThat(worker.reports()).as("%s armed step %s", worker, step)
                    .containsAll(ids.stream().map(id -> "ARMED " + id + " " + step).toList());
        });
    }

    private static Optional<String[]> answerOf(WorkerProcess asker, long id) {
        return asker.reports().stream().filter(l -> l.startsWith("ANSWER " + id + " ")).findFirst().map(l -> l.split(" "));
    }

    private static Message find(List<Message> thread, long messageId) {
        return thread.stream().filter(m -> m.id() == messageId).findFirst().orElseThrow();
    }

    private static void assertWithinBound(TestDatabase database, String what, List<Long> latencies) {
        List<Long> sorted = latencies.stream().sorted().toList();
        System.out.printf("CrossProcessSteering on %s: %s after the send in %d ms median, %d ms at most (%d sends)%n",
                database.displayName(), what, sorted.get(sorted.size() / 2), sorted.get(sorted.size() - 1), sorted.size());
        assertThat(sorted).as("ms from the send here to " + what + " in the other process")
                .allMatch(ms -> ms <= bound(database).toMillis());
    }

    /** A worker's {@code FIRED} report. */
    private record Fired(int step, StopReason reason, long atMillis) {

        /** What the worker reported of one workflow's tokens, by step. */
        static List<Fired> of(WorkerProcess worker, long workflowId) {
            return worker.reports().stream().filter(l -> l.startsWith("FIRED " + workflowId + " ")).map(l -> {
                String[] parts = l.split(" ");
                return new Fired(Integer.parseInt(parts[2]), new StopReason(StopReason.Kind.valueOf(parts[3]),
                        parts[4].equals("null") ? null : Long.valueOf(parts[4])), Long.parseLong(parts[5]));
            }).toList();
        }
    }
}
