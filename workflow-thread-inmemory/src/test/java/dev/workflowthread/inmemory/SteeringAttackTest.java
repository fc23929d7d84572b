package dev.workflowthread.inmemory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import dev.workflowthread.ActionStatus;
import dev.workflowthread.ActionType;
import dev.workflowthread.Answer;
import dev.workflowthread.Checkpoint;
import dev.workflowthread.CheckpointGuard;
import dev.workflowthread.InvalidMessageException;
import dev.workflowthread.Message;
import dev.workflowthread.QuestionTimeout;
import dev.workflowthread.SendRequest;
import dev.workflowthread.SendResult;
import dev.workflowthread.StopReason;
import dev.workflowthread.StopToken;
import dev.workflowthread.WorkflowMessages;
import dev.workflowthread.spi.ThreadStore;
import dev.workflowthread.tck.ContractSupport;
import dev.workflowthread.tck.SteeringContract;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What a hostile client's and a reviewer's look at steering found, kept as regression tests: each
 * comment says what went wrong before the fix, each test that it no longer does.
 */
class SteeringAttackTest extends ContractSupport {

    private static final Duration LONG = Duration.ofMinutes(10);
    private static final Duration SHORT_WAIT = Duration.ofSeconds(3);

    @Override
    protected ThreadStore createStore() {
        return InMemoryThreadStore.create();
    }

    private static Message awaitQuestion(WorkflowMessages messages, long id) {
        return SteeringContract.awaitQuestion(messages, id);
    }

    private static SendRequest answer(Message question, String choice) {
        return SteeringContract.answer(question, choice, choice);
    }

    private static Message stored(WorkflowMessages messages, long id, long messageId) {
        return messages.getMessages(id).stream().filter(m -> m.id() == messageId).findFirst().orElseThrow();
    }

    // ---- the question's closing key is in the person's idempotency key space ----

    /**
     * A person's message whose idempotency key is "question:N:closed" takes the key of the notice
     * that closes question N: at the deadline the asker's notice is "replayed", it takes that for
     * an answer that closed the question first, finds none, and tries again without waiting.
     */
    @Test
    void aPersonsKeyCannotTakeTheClosingNoticesKeySoTheDeadlineStillHolds() throws Exception {
        WorkflowMessages messages = service();
        long id = startedWorkflow(messages);
        CheckpointGuard guard = messages.guard(id);
        Future<Answer> asked = threads(1).submit(
                () -> guard.ask("Which?", List.of("a", "b"), Duration.ofSeconds(30), QuestionTimeout.answer("a")));
        Message question = awaitQuestion(messages, id);
        messages.send(id, SendRequest.of(ActionType.COMMENT, "just a comment")
                .withIdempotencyKey("question:" + question.id() + ":closed"));

        clock.advance(Duration.ofMinutes(1));

        try {
            Answer answer = asked.get(SHORT_WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(answer.timedOut()).isTrue();
        } finally {
            // The spinning asker ignores interrupts; closing the service ends it.
            messages.close();
        }
    }

    /** The same key also makes a real answer fail: its notice replays the person's comment. */
    @Test
    void aPersonsKeyCannotTakeTheClosingNoticesKeySoTheRealAnswerIsTaken() throws Exception {
        WorkflowMessages messages = service();
        long id = startedWorkflow(messages);
        CheckpointGuard guard = messages.guard(id);
        Future<Answer> asked = threads(1).submit(
                () -> guard.ask("Which?", List.of("a", "b"), LONG, QuestionTimeout.answer("a")));
        Message question = awaitQuestion(messages, id);
        messages.send(id, SendRequest.of(ActionType.COMMENT, "just a comment")
                .withIdempotencyKey("question:" + question.id() + ":closed"));

        assertThatCode(() -> messages.send(id, answer(question, "b"))).doesNotThrowAnyException();
        assertThat(asked.get(SHORT_WAIT.toSeconds(), TimeUnit.SECONDS).text()).isEqualTo("b");
    }

    // ---- questions left open ----

    /**
     * ask() left by an interrupt (here: the guard's own interruptOnStop, fired by an urgent comment
     * during the wait) leaves the question open for good: a later answer is taken, "Question
     * answered by alice" is said, and the answer stays open forever, handed to nobody.
     */
    @Test
    void aQuestionWhoseAskerWasInterruptedIsWithdrawnAndALaterAnswerIgnored() throws Exception {
        WorkflowMessages messages = service();
        long id = startedWorkflow(messages);
        CheckpointGuard guard = messages.guard(id).interruptOnStop(true);
        Future<Answer> asked = threads(1).submit(() -> {
            guard.check();
            guard.stopToken();
            return guard.ask("Which?", List.of("a", "b"), LONG, QuestionTimeout.answer("a"));
        });
        Message question = awaitQuestion(messages, id);
        messages.send(id, SendRequest.of(ActionType.COMMENT, "stop, the spec changed")
                .withMetadata(Map.of(Message.DELIVERY, "interrupt")));
        Throwable thrown = catchThrowable(() -> asked.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertThat(thrown).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(InterruptedException.class);

        SendResult late = messages.send(id, answer(question, "b"));

        // Nobody will ever take it: the asker is gone, and check() never hands over an answer.
        Checkpoint checkpoint = messages.guard(id).check();
        assertThat(checkpoint.messages()).extracting(Message::id).doesNotContain(late.messageId());
        assertThat(stored(messages, id, late.messageId()).actionStatus().isOpen())
                .as("an answer nobody will take should not be left open").isFalse();
    }

    /**
     * The README: "a later answer, or one after the deadline, is stored ignored". The send path
     * never looks at metadata.deadline; only the asker's own notice closes the question, so with
     * the asker gone an answer long after the deadline is taken.
     */
    @Test
    void anAnswerAfterTheDeadlineIsIgnoredEvenWithNoAskerToCloseIt() throws Exception {
        WorkflowMessages messages = service();
        long id = startedWorkflow(messages);
        CheckpointGuard guard = messages.guard(id);
        Future<Answer> asked = threads(1).submit(
                () -> guard.ask("Which?", List.of("a", "b"), Duration.ofSeconds(30), QuestionTimeout.answer("a")));
        Message question = awaitQuestion(messages, id);
        asked.cancel(true); // the asker's thread is interrupted: the question is withdrawn
        await().atMost(WAIT).until(asked::isDone);

        clock.advance(Duration.ofHours(1));
        SendResult late = messages.send(id, answer(question, "b"));

        assertThat(late.actionStatus()).as("an answer an hour after the deadline").isEqualTo(ActionStatus.IGNORED);
    }

    // ---- delivery on an answer ----

    /**
     * An answer with metadata.delivery = "interrupt" is accepted: it fires every armed token of
     * the workflow and posts "Interrupting ... agent", yet no check() ever hands it over (answers
     * are the asker's). With interruptOnStop the asker itself would be interrupted by its answer.
     */
    @Test
    void anAnswerCannotBeUrgentOrSkip() throws Exception {
        WorkflowMessages messages = service();
        long id = startedWorkflow(messages);
        CheckpointGuard asker = messages.guard(id);
        Future<Answer> asked = threads(1).submit(
                () -> asker.ask("Which?", List.of("a", "b"), LONG, QuestionTimeout.answer("a")));
        Message question = awaitQuestion(messages, id);
        CheckpointGuard other = messages.guard(id);
        other.check();
        other.agentStarting("review", "reviewing");
        StopToken token = other.stopToken();

        Map<String, Object> metadata = Map.of(Message.IN_REPLY_TO, question.id(), Message.CHOICE, "b",
                Message.DELIVERY, "interrupt");
        Throwable refused = catchThrowable(() -> messages.send(id, SendRequest.of(ActionType.COMMENT, "b")
                .withMetadata(metadata)));
        if (refused != null) {
            assertThat(refused).isInstanceOf(InvalidMessageException.class);
            return;
        }
        assertThat(asked.get(WAIT.toSeconds(), TimeUnit.SECONDS).text()).isEqualTo("b");
        assertThat(other.check().messages()).as("the answer is not the other guard's").isEmpty();
        assertThat(token.isStopRequested()).as("a token fired for a message no check() hands over").isFalse();
    }

    // ---- callbacks ----

    /**
     * StopToken.onStop: "A callback that throws is logged and the others still run." Only a
     * RuntimeException is caught: an Error from a callback escapes into the sender's send()
     * (after the cancel was stored) and the callbacks after it never run.
     */
    @Test
    void aCallbackThrowingAnErrorIsLoggedAndTheOthersRun() throws Exception {
        WorkflowMessages messages = service();
        long id = startedWorkflow(messages);
        CheckpointGuard guard = messages.guard(id);
        guard.check();
        StopToken token = guard.stopToken();
        List<StopReason> told = new CopyOnWriteArrayList<>();
        token.onStop(reason -> {
            throw new AssertionError("a host's callback that fails hard");
        });
        token.onStop(told::add);

        Throwable thrown = catchThrowable(() -> messages.cancel(id, "stop"));

        // Who fires first (the send, or the background read the store's change schedules) varies:
        // either the Error reaches the sender, or it ends the background task; both skip the rest.
        await().atMost(SHORT_WAIT).untilAsserted(() -> assertThat(told).as("the other callbacks still run").hasSize(1));
        assertThat(thrown).as("the person's cancel should not fail because of an agent's callback").isNull();
    }

    // ---- the token's life ----

    /**
     * CheckpointGuard.check(): "It also ends the step in progress: its stopToken() no longer
     * fires." A quiet check() (nothing new) ends nothing: the old token stays armed, with its
     * callbacks, into the next step.
     */
    @Test
    void aQuietCheckKeepsTheStepsTokenWhichFiresForWhatComesNext() throws Exception {
        WorkflowMessages messages = service();
        long id = startedWorkflow(messages);
        CheckpointGuard guard = messages.guard(id);
        guard.check();
        StopToken first = guard.stopToken();
        List<StopReason> told = new CopyOnWriteArrayList<>();
        first.onStop(told::add);

        assertThat(guard.check()).isSameAs(Checkpoint.EMPTY); // a new step begins
        messages.cancel(id, "stop");

        // As CheckpointGuard.check() says: a quiet call keeps the step's token.
        org.awaitility.Awaitility.await().until(first::isStopRequested);
        assertThat(told).extracting(StopReason::kind).containsExactly(StopReason.Kind.CANCEL);
        assertThat(guard.stopToken()).isSameAs(first);
    }

    /**
     * StepToken.fire publishes the reason before it interrupts the step's thread: a step that sees
     * isStopRequested() and goes on (to narrate, acknowledge, block) can be interrupted a moment
     * later, in the middle of that call, instead of before it.
     */
    @Test
    void aStepThatSeesTheStopIsInterruptedAlready() throws Exception {
        WorkflowMessages messages = service();
        long id = startedWorkflow(messages);
        CheckpointGuard guard = messages.guard(id).interruptOnStop(true);
        java.util.concurrent.CountDownLatch armed = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch looked = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicBoolean interruptedWhenSeen = new java.util.concurrent.atomic.AtomicBoolean();
        // A thread whose interrupt() waits until the step looked: shows what a step may see in between.
        Thread stepThread = new Thread(() -> {
            try {
                guard.check();
                StopToken token = guard.stopToken();
                armed.countDown();
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (!token.isStopRequested() && System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
                interruptedWhenSeen.set(Thread.currentThread().isInterrupted());
                looked.countDown();
            } catch (InterruptedException e) {
                looked.countDown();
            }
        }) {
            @Override
            public void interrupt() {
                try {
                    looked.await(2, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                super.interrupt();
            }
        };
        stepThread.start();
        assertThat(armed.await(20, TimeUnit.SECONDS)).isTrue();
        messages.cancel(id, "stop");
        stepThread.join(TimeUnit.SECONDS.toMillis(20));

        assertThat(interruptedWhenSeen).as("the step's thread, once isStopRequested() is true").isTrue();
    }

    /**
     * A guard dropped without close() (an agent loop that died) is let go of by the GC, but its
     * armed token is held by the service's StopTokens for ever (with the thread it would
     * interrupt), and every change of the workflow costs a read of its open messages.
     */
    @Test
    void theArmedTokenOfAnAbandonedGuardIsLetGoWithIt() throws Exception {
        WorkflowMessages messages = service();
        long id = startedWorkflow(messages);
        List<WeakReference<?>> refs = armAndAbandon(messages, id);
        WeakReference<?> guard = refs.get(0);
        WeakReference<?> token = refs.get(1);

        await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
            System.gc();
            assertThat(guard.get()).as("the abandoned guard itself is collected").isNull();
        });
        await().atMost(SHORT_WAIT).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
            System.gc();
            assertThat(token.get()).as("the armed token of a guard nobody holds").isNull();
        });
    }

    private static List<WeakReference<?>> armAndAbandon(WorkflowMessages messages, long id) throws Exception {
        CheckpointGuard guard = messages.guard(id).interruptOnStop(true);
        guard.check();
        return List.of(new WeakReference<>(guard), new WeakReference<>(guard.stopToken()));
    }

    /**
     * close(): "A later check() or ask throws IllegalStateException." A guard closed while one of
     * its ask() calls waits leaves that ask waiting until the deadline, on a signal it let go of.
     */
    @Test
    void aGuardClosedWhileAskingStopsWaiting() throws Exception {
        WorkflowMessages messages = service();
        long id = startedWorkflow(messages);
        CheckpointGuard guard = messages.guard(id);
        Future<Answer> asked = threads(1).submit(
                () -> guard.ask("Which?", List.of("a", "b"), LONG, QuestionTimeout.answer("a")));
        awaitQuestion(messages, id);

        guard.close();

        Throwable thrown = catchThrowable(() -> asked.get(SHORT_WAIT.toSeconds(), TimeUnit.SECONDS));
        assertThat(thrown).as("ask on a closed guard").isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(IllegalStateException.class);
    }

    /** After the service closed, stopToken() still arms a token into the closed registry; it never fires. */
    @Test
    void aTokenAskedForAfterTheServiceClosedIsRefused() throws Exception {
        WorkflowMessages messages = service();
        long id = startedWorkflow(messages);
        CheckpointGuard guard = messages.guard(id);
        guard.check();
        messages.close();

        assertThat(catchThrowable(guard::stopToken)).as("a token of a closed service").isInstanceOf(IllegalStateException.class);
    }

    /**
     * Closing the service closes every armed token without firing it: a step blocked on
     * whenStopped() (or on a call its onStop would cut short) is never told, though every later
     * check() will throw. StopToken's Javadoc names no such case.
     */
    @Test
    void closingTheServiceTellsTheStepsInProgress() throws Exception {
        WorkflowMessages messages = service();
        long id = startedWorkflow(messages);
        CheckpointGuard guard = messages.guard(id);
        guard.check();
        java.util.concurrent.CompletableFuture<StopReason> stopped = guard.stopToken().whenStopped();

        messages.close();

        assertThat(stopped.get(SHORT_WAIT.toSeconds(), TimeUnit.SECONDS)).as("a step in progress when its service closed")
                .isEqualTo(new StopReason(StopReason.Kind.SERVICE_CLOSED, null));
    }

    /**
     * Checkpoint.skipTo(): "Reported once, with the instruction that asked for it". An instruction
     * not acknowledged within the lease is handed over again, and reports the skip again.
     */
    @Test
    void aSkipIsReportedAgainOnlyWhenItsInstructionIsHandedOverAgain() throws Exception {
        WorkflowMessages messages = service();
        long id = startedWorkflow(messages);
        CheckpointGuard guard = messages.guard(id);
        messages.send(id, SendRequest.of(ActionType.INSTRUCTION, "skip to the review")
                .withMetadata(Map.of(Message.SKIP_TO_AGENT, "review")));
        assertThat(guard.check().skipTo()).contains("review");
        assertThat(guard.check().skipTo()).as("not while the instruction is held").isEmpty();

        clock.advance(Duration.ofHours(1)); // the lease of the unacknowledged instruction runs out

        assertThat(guard.check().skipTo()).as("with its instruction, handed over again").contains("review");
    }

    // ---- hostile metadata that is refused as it should be (these pass) ----

    @Test
    void hostileInReplyToValuesAreRefusedNamingTheField() throws Exception {
        WorkflowMessages messages = service();
        long id = startedWorkflow(messages);
        long other = startedWorkflow(messages);
        CheckpointGuard guard = messages.guard(other);
        Future<Answer> asked = threads(1).submit(
                () -> guard.ask("Which?", List.of(), LONG, QuestionTimeout.answer("a")));
        Message foreign = awaitQuestion(messages, other);
        messages.pause(id, "a moment");
        messages.unpause(id);
        messages.guard(id).check(); // applies both: the thread says so in system messages
        long systemMessage = messages.getMessages(id).stream()
                .filter(m -> m.messageType() == dev.workflowthread.MessageType.SYSTEM).findFirst().orElseThrow().id();
        List<Object> hostile = List.of(new java.math.BigInteger("123456789012345678901234567890"), 5.0, -1L, 0,
                "5", foreign.id(), systemMessage, Long.MAX_VALUE);
        for (Object value : hostile) {
            Throwable thrown = catchThrowable(() -> messages.send(id, SendRequest.of(ActionType.COMMENT, "x")
                    .withMetadata(Map.of(Message.IN_REPLY_TO, value))));
            assertThat(thrown).as("inReplyTo " + value).isInstanceOf(InvalidMessageException.class);
            assertThat(((InvalidMessageException) thrown).field()).isEqualTo("metadata.inReplyTo");
        }
        // A choice on a free-text question, and an answer as a pause.
        Throwable choice = catchThrowable(() -> messages.send(other, SendRequest.of(ActionType.COMMENT, "x")
                .withMetadata(Map.of(Message.IN_REPLY_TO, foreign.id(), Message.CHOICE, "x"))));
        assertThat(((InvalidMessageException) choice).field()).isEqualTo("metadata.choice");
        Throwable pause = catchThrowable(() -> messages.send(other, SendRequest.of(ActionType.PAUSE, "x")
                .withMetadata(Map.of(Message.IN_REPLY_TO, foreign.id()))));
        assertThat(((InvalidMessageException) pause).field()).isEqualTo("metadata.inReplyTo");
        assertThat(asked.isDone()).isFalse();
    }
}
