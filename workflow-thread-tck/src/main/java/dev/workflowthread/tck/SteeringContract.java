package dev.workflowthread.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import dev.workflowthread.ActionStatus;
import dev.workflowthread.ActionTaken;
import dev.workflowthread.ActionType;
import dev.workflowthread.Answer;
import dev.workflowthread.Checkpoint;
import dev.workflowthread.CheckpointGuard;
import dev.workflowthread.InvalidMessageException;
import dev.workflowthread.Message;
import dev.workflowthread.MessageType;
import dev.workflowthread.QuestionTimeout;
import dev.workflowthread.QuestionTimeoutException;
import dev.workflowthread.SendRequest;
import dev.workflowthread.SendResult;
import dev.workflowthread.StopReason;
import dev.workflowthread.StopRequestedException;
import dev.workflowthread.StopToken;
import dev.workflowthread.WorkflowCancelledException;
import dev.workflowthread.WorkflowMessages;
import dev.workflowthread.WorkflowRedirectedException;
import dev.workflowthread.WorkflowState;
import dev.workflowthread.WorkflowStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Steering that reaches a step in progress: stop tokens, how a person's message reaches a busy
 * agent ({@code metadata.delivery}), questions with deadlines, and skips.
 */
public abstract class SteeringContract extends ContractSupport {

    /** Constructor for a store's test class that extends this part of the contract. */
    public SteeringContract() {
    }

    private static final Duration LONG = Duration.ofMinutes(10);

    private static SendRequest urgent(ActionType type, String content) {
        return SendRequest.of(type, content).withMetadata(Map.of(Message.DELIVERY, "interrupt"));
    }

    private static StopReason firedReason(StopToken token) {
        await().atMost(WAIT).until(token::isStopRequested);
        return token.reason().orElseThrow();
    }

    // ---- stop tokens ----

    @Test
    void theTokenFiresOnACancelAndNotOnOrdinaryMessages() throws Exception {
        WorkflowMessages messages = service();
        long id = startedWorkflow(messages);
        CheckpointGuard guard = messages.guard(id);
        guard.check();
        StopToken token = guard.stopToken();
        messages.send(id, SendRequest.of(ActionType.COMMENT, "the button is blue"));
        messages.send(id, SendRequest.of(ActionType.INSTRUCTION, "use JWT cookies"));
        messages.pause(id, "wait a moment");
        messages.send(id, SendRequest.of(ActionType.COMMENT, "later").withMetadata(Map.of(Message.DELIVERY, "next_agent")));
        assertThat(token.isStopRequested()).as("ordinary messages and a pause let the step finish").isFalse();

        SendResult cancel = messages.cancel(id, "wrong repository");

        // A token fires once, with its first reason: the cancel's, so none of the above fired it.
        assertThat(firedReason(token)).isEqualTo(new StopReason(StopReason.Kind.CANCEL, cancel.messageId()));
        assertThatThrownBy(token::throwIfStopRequested).isInstanceOf(StopRequestedException.class)
                .satisfies(e -> assertThat(((StopRequestedException) e).reason().kind()).isEqualTo(StopReason.Kind.CANCEL));
        assertThat(messages.getState(id).status()).as("firing applies nothing").isEqualTo(WorkflowStatus.RUNNING);
        assertThatThrownBy(guard::check).isInstanceOf(WorkflowCancelledException.class);
        assertThat(messages.getState(id).status()).isEqualTo(WorkflowStatus.CANCELLED);
    }

    @Test
    void theTokenFiresOnARedirectAndItsCallbacksAndFutureAreTold() throws Exception {
        WorkflowMessages messages = service();
        long id = startedWorkflow(messages);
        CheckpointGuard guard = messages.guard(id);
        guard.check();
        StopToken token = guard.stopToken();
        List<StopReason> told = new CopyOnWriteArrayList<>();
        token.onStop(told::add);
        AtomicBoolean removedCallbackRan = new AtomicBoolean();
        token.onStop(reason -> removedCallbackRan.set(true)).close();
        token.onStop(reason -> {
            throw new IllegalStateException("a failing callback does not stop the others");
        });
        CompletableFuture<StopReason> future = token.whenStopped();

        SendResult redirect = messages.send(id, SendRequest.redirect("REDIRECT: build the API instead", "Build the API"));

        StopReason reason = future.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(reason).isEqualTo(new StopReason(StopReason.Kind.REDIRECT, redirect.messageId()));
        await().atMost(WAIT).until(() -> told.size() == 1);
        assertThat(told).containsExactly(reason);
        assertThat(removedCallbackRan).isFalse();
        List<StopReason> late = new ArrayList<>();
        token.onStop(late::add);
        assertThat(late).as("a callback on a fired token runs at once").containsExactly(reason);
        assertThatThrownBy(guard::check).isInstanceOf(WorkflowRedirectedException.class);
    }

    @Test
    void aTokenInAnotherServiceOnTheSameStoreFiresOnACancelSentHere() throws Exception {
        WorkflowMessages sender = service();
        WorkflowMessages agents = service();
        long id = startedWorkflow(sender);
        CheckpointGuard guard = agents.guard(id);
        guard.check();
        StopToken token = guard.stopToken();

        SendResult cancel = sender.cancel(id, "stop");

        assertThat(firedReason(token)).isEqualTo(new StopReason(StopReason.Kind.CANCEL, cancel.messageId()));
        assertThatThrownBy(guard::check).isInstanceOf(WorkflowCancelledException.class);
    }

    @Test
    void theInterruptingNoticeNamesTheAgentAtWorkWhenATokenOutlivedTheOneThatAskedForIt() throws Exception {
        WorkflowMessages messages = service();
        long id = startedWorkflow(messages);
        CheckpointGuard guard = messages.guard(id);
        guard.check();
        guard.agentStarting("plan", "planning");
        StopToken token = guard.stopToken();
        guard.agentCompleted("plan", "planned", null);
        guard.check();
        guard.agentStarting("code", "writing the component");
        assertThat(guard.stopToken()).as("quiet checks keep the step's token").isSameAs(token);

        messages.send(id, urgent(ActionType.INSTRUCTION, "Stop: use the Card component"));

        await().atMost(WAIT).until(() -> transcript(messages, id)
                .contains("[System] Interrupting code agent for an urgent instruction"));
    }

    @Test
    void anUrgentInstructionFiresTheTokenIsHandedOverOnceAndTheThreadSaysSo() throws Exception {
        WorkflowMessages messages = service();
        long id = startedWorkflow(messages);
        CheckpointGuard guard = messages.guard(id);
        guard.check();
        guard.agentStarting("code", "writing the component");
        StopToken token = guard.stopToken();

        SendResult urgent = messages.send(id, urgent(ActionType.INSTRUCTION, "Stop: use the Card component"));

        assertThat(firedReason(token)).isEqualTo(new StopReason(StopReason.Kind.URGENT_MESSAGE, urgent.messageId()));
        await().atMost(WAIT).until(() -> transcript(messages, id)
                .contains("[System] Interrupting code agent for an urgent instruction"));
        Checkpoint checkpoint = guard.check();
        assertThat(checkpoint.instructions()).extracting(Message::id).containsExactly(urgent.messageId());
        guard.acknowledge(checkpoint.instructions().get(0), "Switching to Card");

        StopToken next = guard.stopToken();
        assertThat(next).as("a new step, a new token").isNotSameAs(token);
        assertThat(guard.check()).isSameAs(Checkpoint.EMPTY);
        StopToken third = guard.stopToken();
        messages.send(id, SendRequest.of(ActionType.COMMENT, "an ordinary comment"));
        SendResult cancel = messages.cancel(id, "enough");
        assertThat(firedReason(third)).as("the urgent message fires no later step")
                .isEqualTo(new StopReason(StopReason.Kind.CANCEL, cancel.messageId()));
        assertThat(transcript(messages, id).stream().filter(l -> l.startsWith("[System] Interrupting")).count()).isEqualTo(1);
        assertThatThrownBy(guard::check).isInstanceOf(WorkflowCancelledException.class);
        assertThat(messages.getMessages(id).stream().filter(m -> m.id() == urgent.messageId()).findFirst().orElseThrow()
                .actionStatus()).isEqualTo(ActionStatus.PROCESSED);
    }

    @Test
    void anUrgentCommentFromAnotherServiceFiresTheTokenOfEveryGuardOnce() throws Exception {
        WorkflowMessages sender = service();
        WorkflowMessages agents = service();
        long id = startedWorkflow(sender);
        List<CheckpointGuard> guards = new ArrayList<>();
        List<StopToken> tokens = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            CheckpointGuard guard = agents.guard(id);
            guard.check();
            guards.add(guard);
            tokens.add(guard.stopToken());
        }

        SendResult urgent = sender.send(id, urgent(ActionType.COMMENT, "the API moved to v2"));

        for (StopToken token : tokens) {
            assertThat(firedReason(token)).isEqualTo(new StopReason(StopReason.Kind.URGENT_MESSAGE, urgent.messageId()));
        }
        int handed = 0;
        for (CheckpointGuard guard : guards) {
            handed += guard.check().comments().size();
        }
        assertThat(handed).as("handed over exactly once among the guards").isEqualTo(1);
    }

    @Test
    void anUrgentMessageAnotherProcessTookFiresTheTokenOfAStepThatBeganBeforeIt() throws Exception {
        WorkflowMessages sender = service();
        WorkflowMessages takers = service();
        WorkflowMessages others = service();
        long id = startedWorkflow(sender);
        CheckpointGuard taker = takers.guard(id);
        CheckpointGuard busy = others.guard(id);
        taker.check();
        busy.check(); // its step begins before the urgent message comes

        SendResult urgent = sender.send(id, urgent(ActionType.INSTRUCTION, "use the Card component"));
        List<Message> taken = new ArrayList<>();
        await().atMost(WAIT).until(() -> taken.addAll(taker.check().instructions()));
        // Heard after another process took the message: it is still news to this step.
        StopToken token = busy.stopToken();

        assertThat(firedReason(token)).isEqualTo(new StopReason(StopReason.Kind.URGENT_MESSAGE, urgent.messageId()));
        assertThat(busy.check().instructions()).as("held by the other guard").isEmpty();
        StopToken takersNext = taker.stopToken();
        SendResult cancel = sender.cancel(id, "enough");
        assertThat(firedReason(takersNext)).as("the message the guard took fires none of its later steps")
                .isEqualTo(new StopReason(StopReason.Kind.CANCEL, cancel.messageId()));
        assertThat(taken).extracting(Message::id).containsExactly(urgent.messageId());
    }

    @Test
    void interruptOnStopInterruptsTheStepsThreadAndTheNextCheckClearsIt() throws Exception {
        WorkflowMessages messages = service();
        long id = startedWorkflow(messages);
        CountDownLatch blocked = new CountDownLatch(1);
        Future<Boolean> step = threads(1).submit(() -> {
            CheckpointGuard guard = messages.guard(id).interruptOnStop(true);
            guard.check();
            guard.stopToken();
            boolean interrupted = false;
            try {
                blocked.countDown();
                new CountDownLatch(1).await(WAIT.toSeconds(), TimeUnit.SECONDS); // a long model call
            } catch (InterruptedException e) {
                interrupted = true;
            }
            Thread.currentThread().interrupt(); // as a client that restores the flag
            try {
                guard.check();
            } catch (WorkflowCancelledException expected) {
                // applied: the flag the token set is cleared, or the check could not have run
            }
            return interrupted && !Thread.currentThread().isInterrupted();
        });
        assertThat(blocked.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();

        messages.cancel(id, "stop now");

        assertThat(result(step)).as("interrupted, and the interrupt cleared by the next check").isTrue();
        assertThat(messages.getState(id).status()).isEqualTo(WorkflowStatus.CANCELLED);
    }

    // ---- delivery ----

    @Test
    void aNextAgentMessageWaitsUntilTheCurrentAgentCompletes() throws Exception {
        WorkflowMessages messages = service();
        long id = startedWorkflow(messages);
        CheckpointGuard guard = messages.guard(id);
        guard.agentStarting("code", "writing");
        SendResult later = messages.send(id, SendRequest.of(ActionType.INSTRUCTION, "add tests too")
                .withMetadata(Map.of(Message.DELIVERY, "next_agent")));
        SendResult now = messages.send(id, SendRequest.of(ActionType.COMMENT, "looks good so far"));

        Checkpoint during = guard.check();
        assertThat(during.messages()).extracting(Message::id).containsExactly(now.messageId());
        assertThat(guard.check()).isSameAs(Checkpoint.EMPTY);

        guard.agentCompleted("code", "component written", null);
        Checkpoint after = guard.check();
        assertThat(after.instructions()).extracting(Message::id).containsExactly(later.messageId());
        guard.agentStarting("test", "testing");
        assertThat(guard.check()).isSameAs(Checkpoint.EMPTY);
    }

    @Test
    void steeringKeysAreCheckedAndARefusalStoresNothing() {
        WorkflowMessages messages = service();
        long id = startedWorkflow(messages);
        messages.addMessage(id, MessageType.AGENT, "Starting code agent - writing", null);
        refused(messages, id, "metadata.delivery", SendRequest.of(ActionType.INSTRUCTION, "x")
                .withMetadata(Map.of(Message.DELIVERY, "asap")), InvalidMessageException.Reason.UNKNOWN_VALUE);
        refused(messages, id, "metadata.delivery", SendRequest.of(ActionType.INSTRUCTION, "x")
                .withMetadata(Map.of(Message.DELIVERY, 1)), InvalidMessageException.Reason.WRONG_TYPE);
        refused(messages, id, "metadata.delivery", SendRequest.of(ActionType.PAUSE, "x")
                .withMetadata(Map.of(Message.DELIVERY, "interrupt")), InvalidMessageException.Reason.NOT_APPLICABLE);
        refused(messages, id, "metadata.skipToAgent", SendRequest.of(ActionType.COMMENT, "x")
                .withMetadata(Map.of(Message.SKIP_TO_AGENT, "review")), InvalidMessageException.Reason.NOT_APPLICABLE);
        refused(messages, id, "metadata.skipToAgent", SendRequest.of(ActionType.INSTRUCTION, "x")
                .withMetadata(Map.of(Message.SKIP_TO_AGENT, " ")), InvalidMessageException.Reason.BLANK);
        long agentMessage = messages.getNewestMessages(id, 1).get(0).id();
        refused(messages, id, "metadata.inReplyTo", SendRequest.of(ActionType.COMMENT, "yes")
                .withMetadata(Map.of(Message.IN_REPLY_TO, agentMessage)), InvalidMessageException.Reason.NOT_APPLICABLE);
        refused(messages, id, "metadata.inReplyTo", SendRequest.of(ActionType.COMMENT, "yes")
                .withMetadata(Map.of(Message.IN_REPLY_TO, "7")), InvalidMessageException.Reason.WRONG_TYPE);
        refused(messages, id, "metadata.choice", SendRequest.of(ActionType.COMMENT, "yes")
                .withMetadata(Map.of(Message.CHOICE, "yes")), InvalidMessageException.Reason.NOT_APPLICABLE);
    }

    private void refused(WorkflowMessages messages, long id, String field, SendRequest request,
                         InvalidMessageException.Reason reason) {
        WorkflowState state = messages.getState(id);
        List<Message> thread = messages.getMessages(id);
        InvalidMessageException e = catchThrowableOfType(InvalidMessageException.class, () -> messages.send(id, request));
        assertThat(e).as("refused naming " + field).isNotNull();
        assertThat(e.field()).isEqualTo(field);
        assertThat(e.reason()).isEqualTo(reason);
        assertThat(messages.getState(id)).isEqualTo(state);
        assertThat(messages.getMessages(id)).isEqualTo(thread);
    }

    // ---- skips ----

    @Test
    void aSkipIsReportedOnceWithItsInstruction() throws Exception {
        WorkflowMessages messages = service();
        long id = startedWorkflow(messages);
        CheckpointGuard guard = messages.guard(id);
        SendResult skip = messages.send(id, SendRequest.of(ActionType.INSTRUCTION, "skip to the review")
                .withMetadata(Map.of(Message.SKIP_TO_AGENT, "review")));

        Checkpoint checkpoint = guard.check();
        assertThat(checkpoint.skipTo()).contains("review");
        assertThat(checkpoint.instructions()).extracting(Message::id).containsExactly(skip.messageId());
        guard.acknowledge(checkpoint.instructions().get(0), "Skipping to review agent at user request");
        assertThat(guard.check().skipTo()).isEmpty();
        assertThat(messages.guard(id).check().skipTo()).as("not again, from another guard").isEmpty();
    }

    // ---- questions ----

    private Future<Answer> asking(CheckpointGuard guard, String question, List<String> options, Duration timeout,
                                  QuestionTimeout onTimeout) {
        return threads(1).submit(() -> guard.ask(question, options, timeout, onTimeout));
    }

    /**
     * Waits for an agent's question in the workflow's thread.
     *
     * @param messages the service
     * @param id       the workflow
     * @return the newest question
     */
    public static Message awaitQuestion(WorkflowMessages messages, long id) {
        await().atMost(WAIT).until(() -> messages.getMessages(id).stream().anyMatch(Message::isQuestion));
        return messages.getMessages(id).stream().filter(Message::isQuestion).reduce((a, b) -> b).orElseThrow();
    }

    /**
     * Alice's answer to a question.
     *
     * @param question the question
     * @param content  the answer's words
     * @param choice   the option chosen, or null for free text
     * @return the request to send
     */
    public static SendRequest answer(Message question, String content, String choice) {
        Map<String, Object> metadata = choice == null ? Map.of(Message.IN_REPLY_TO, question.id())
                : Map.of(Message.IN_REPLY_TO, question.id(), Message.CHOICE, choice);
        return SendRequest.of(ActionType.COMMENT, content).withMetadata(metadata).withAuthor("alice");
    }

    @Test
    void askReturnsThePersonsChoiceAndTheThreadRecordsWhoAnswered() throws Exception {
        WorkflowMessages messages = service();
        long id = startedWorkflow(messages);
        CheckpointGuard guard = messages.guard(id);
        guard.agentStarting("code", "writing the component");
        Future<Answer> asked = asking(guard, "Which name: Button or PrimaryButton?", List.of("Button", "PrimaryButton"),
                LONG, QuestionTimeout.answer("Button"));
        Message question = awaitQuestion(messages, id);
        assertThat(question.agentType()).isEqualTo("code");
        assertThat(question.metadata()).containsEntry(Message.OPTIONS, List.of("Button", "PrimaryButton"))
                .containsKey(Message.DEADLINE);
        refused(messages, id, "metadata.choice", answer(question, "Card", "Card"), InvalidMessageException.Reason.UNKNOWN_VALUE);

        SendResult sent = messages.send(id, answer(question, "PrimaryButton", "PrimaryButton"));

        Answer answer = result(asked);
        assertThat(answer.text()).isEqualTo("PrimaryButton");
        assertThat(answer.choice()).isEqualTo("PrimaryButton");
        assertThat(answer.author()).isEqualTo("alice");
        assertThat(answer.messageId()).isEqualTo(sent.messageId());
        assertThat(answer.timedOut()).isFalse();
        assertThat(transcript(messages, id)).contains("[System] Question answered by alice: PrimaryButton");
        assertThat(messages.getMessages(id).stream().filter(m -> m.id() == sent.messageId()).findFirst().orElseThrow()
                .actionStatus()).isEqualTo(ActionStatus.PROCESSED);
        assertThat(guard.check()).as("the answer is not handed over again").isSameAs(Checkpoint.EMPTY);
    }

    @Test
    void withFourGuardsOnTheWorkflowTheAnswerReachesOnlyTheAskerAndASecondAnswerIsIgnored() throws Exception {
        WorkflowMessages messages = service();
        long id = startedWorkflow(messages);
        CheckpointGuard asker = messages.guard(id);
        Future<Answer> asked = asking(asker, "Free text: what should the title be?", List.of(), LONG,
                QuestionTimeout.fail());
        Message question = awaitQuestion(messages, id);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger handedToOthers = new AtomicInteger();
        List<Future<?>> others = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            CheckpointGuard other = messages.guard(id);
            others.add(threads(1).submit(() -> {
                while (!stop.get()) {
                    handedToOthers.addAndGet(other.check().messages().size());
                }
                return null;
            }));
        }

        SendResult first = messages.send(id, answer(question, "Dashboard", null));
        Answer answer = result(asked);
        SendResult second = messages.send(id, answer(question, "Overview", null));
        stop.set(true);
        for (Future<?> other : others) {
            result(other);
        }

        assertThat(answer.text()).isEqualTo("Dashboard");
        assertThat(answer.messageId()).isEqualTo(first.messageId());
        assertThat(handedToOthers).as("no other guard hands an answer over").hasValue(0);
        assertThat(second.actionTaken()).isEqualTo(ActionTaken.IGNORED);
        assertThat(second.reason()).contains("closed");
        assertThat(transcript(messages, id).stream().filter(l -> l.startsWith("[System] Question answered")).count())
                .isEqualTo(1);
    }

    @Test
    void askGivesTheDefaultAtTheDeadlineAndALateAnswerIsStoredAsIgnoredSayingWhy() throws Exception {
        WorkflowMessages messages = service();
        long id = startedWorkflow(messages);
        CheckpointGuard guard = messages.guard(id);
        Future<Answer> asked = asking(guard, "Button or PrimaryButton?", List.of("Button", "PrimaryButton"),
                Duration.ofSeconds(30), QuestionTimeout.answer("Button"));
        Message question = awaitQuestion(messages, id);

        clock.advance(Duration.ofSeconds(31));

        Answer answer = result(asked);
        assertThat(answer.timedOut()).isTrue();
        assertThat(answer.text()).isEqualTo("Button");
        assertThat(answer.author()).isNull();
        assertThat(transcript(messages, id)).contains("[System] No answer within 30 seconds: going on with 'Button'");

        SendResult late = messages.send(id, answer(question, "PrimaryButton", "PrimaryButton"));
        assertThat(late.actionTaken()).isEqualTo(ActionTaken.IGNORED);
        assertThat(late.actionStatus()).isEqualTo(ActionStatus.IGNORED);
        assertThat(late.reason()).contains("question " + question.id() + " was closed");
        assertThat(transcript(messages, id).get(transcript(messages, id).size() - 1))
                .startsWith("[System] An answer came after the question was closed");
        assertThat(guard.check()).isSameAs(Checkpoint.EMPTY);
    }

    @Test
    void askHonoursACancelAndTheOtherDeadlineOutcomes() throws Exception {
        WorkflowMessages messages = service();
        long cancelled = startedWorkflow(messages);
        Future<Answer> waiting = asking(messages.guard(cancelled), "Proceed?", List.of("yes", "no"), LONG,
                QuestionTimeout.answer("no"));
        awaitQuestion(messages, cancelled);
        messages.cancel(cancelled, "never mind");
        assertThatThrownBy(() -> result(waiting)).isInstanceOf(WorkflowCancelledException.class);

        long cancelledAtDeadline = startedWorkflow(messages);
        Future<Answer> cancelling = asking(messages.guard(cancelledAtDeadline), "Proceed?", List.of(), Duration.ofSeconds(5),
                QuestionTimeout.cancelWorkflow());
        awaitQuestion(messages, cancelledAtDeadline);
        clock.advance(Duration.ofSeconds(6));
        assertThatThrownBy(() -> result(cancelling)).isInstanceOf(WorkflowCancelledException.class);
        assertThat(messages.getState(cancelledAtDeadline).status()).isEqualTo(WorkflowStatus.CANCELLED);

        long failedAtDeadline = startedWorkflow(messages);
        Future<Answer> failing = asking(messages.guard(failedAtDeadline), "Proceed?", List.of(), Duration.ofSeconds(5),
                QuestionTimeout.fail());
        Message question = awaitQuestion(messages, failedAtDeadline);
        clock.advance(Duration.ofSeconds(6));
        assertThatThrownBy(() -> result(failing)).isInstanceOf(QuestionTimeoutException.class)
                .satisfies(e -> assertThat(((QuestionTimeoutException) e).questionId()).isEqualTo(question.id()));
        assertThat(messages.getState(failedAtDeadline).status()).isEqualTo(WorkflowStatus.RUNNING);
    }

    @Test
    void approveIsYesOnlyWhenThePersonSaysYes() throws Exception {
        WorkflowMessages messages = service();
        long id = startedWorkflow(messages);
        CheckpointGuard guard = messages.guard(id);
        Future<Boolean> yes = threads(1).submit(() -> guard.approve("Run the database migration?", LONG));
        Message question = awaitQuestion(messages, id);
        assertThat(question.metadata()).containsEntry(Message.OPTIONS, List.of("yes", "no"));
        messages.send(id, answer(question, "yes", "yes"));
        assertThat(result(yes)).isTrue();

        Future<Boolean> timedOut = threads(1).submit(() -> guard.approve("Drop the old table?", Duration.ofSeconds(5)));
        await().atMost(WAIT).until(() -> messages.getMessages(id).stream().filter(Message::isQuestion).count() == 2);
        clock.advance(Duration.ofSeconds(6));
        assertThat(result(timedOut)).as("no answer in time is no").isFalse();
    }

    @Test
    void askRefusesBadArgumentsAndStoresNothing() {
        WorkflowMessages messages = service();
        long id = startedWorkflow(messages);
        CheckpointGuard guard = messages.guard(id);
        List<Message> before = messages.getMessages(id);
        assertThat(catchThrowableOfType(InvalidMessageException.class,
                () -> guard.ask(" ", List.of(), LONG, QuestionTimeout.fail())).field()).isEqualTo("question");
        assertThat(catchThrowableOfType(InvalidMessageException.class,
                () -> guard.ask("Which?", List.of("a", "a"), LONG, QuestionTimeout.fail())).field()).isEqualTo("options[1]");
        assertThat(catchThrowableOfType(InvalidMessageException.class,
                () -> guard.ask("Which?", List.of("a"), Duration.ZERO, QuestionTimeout.fail())).field()).isEqualTo("timeout");
        assertThat(catchThrowableOfType(InvalidMessageException.class,
                () -> guard.ask("Which?", List.of("a", "b"), LONG, QuestionTimeout.answer("c"))).field()).isEqualTo("onTimeout");
        assertThat(messages.getMessages(id)).isEqualTo(before);
    }
}
