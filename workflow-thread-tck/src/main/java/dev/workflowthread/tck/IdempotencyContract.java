package dev.workflowthread.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.workflowthread.ActionStatus;
import dev.workflowthread.ActionTaken;
import dev.workflowthread.ActionType;
import dev.workflowthread.AgentNarrator;
import dev.workflowthread.CheckpointGuard;
import dev.workflowthread.InvalidMessageException;
import dev.workflowthread.Message;
import dev.workflowthread.MessageType;
import dev.workflowthread.SendRequest;
import dev.workflowthread.SendResult;
import dev.workflowthread.WorkflowMessages;
import dev.workflowthread.WorkflowState;
import dev.workflowthread.spi.Commit;
import dev.workflowthread.spi.CommitResult;
import dev.workflowthread.spi.NewMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The calls a host retries after an "outcome unknown" are safe to retry: a send with an
 * idempotency key, a narrator's comment with one, and an acknowledgement by the same guard each
 * store their message once, however often and from however many threads they are made.
 */
public abstract class IdempotencyContract extends ContractSupport {

    /** Constructor for a store's test class that extends this part of the contract. */
    public IdempotencyContract() {
    }

    @Test
    void aSendRetriedWithItsKeyReturnsTheFirstResultAndStoresNothingNew() {
        WorkflowMessages messages = service();
        long id = startedWorkflow(messages);
        SendRequest request = SendRequest.of(ActionType.PAUSE, "hold on").withIdempotencyKey("pause-1");

        SendResult first = messages.send(id, request);
        WorkflowState afterFirst = messages.getState(id);
        SendResult again = messages.send(id, request);

        assertThat(first.actionTaken()).isEqualTo(ActionTaken.PAUSE_REQUESTED);
        assertThat(again).isEqualTo(first);
        assertThat(messages.getState(id)).isEqualTo(afterFirst);
        assertThat(messages.getMessages(id)).extracting(Message::content).containsExactly("hold on");
    }

    @Test
    void aReplayAppliesNothingAgainEvenAfterTheStateMoved() {
        WorkflowMessages messages = service();
        long id = startedWorkflow(messages);
        SendRequest pause = SendRequest.of(ActionType.PAUSE, "hold on").withIdempotencyKey("pause-1");
        SendResult first = messages.send(id, pause);
        messages.send(id, SendRequest.of(ActionType.RESUME, "go on").withIdempotencyKey("resume-1"));
        WorkflowState resumed = messages.getState(id);

        SendResult replayed = messages.send(id, pause);

        assertThat(replayed.messageId()).isEqualTo(first.messageId());
        assertThat(replayed.seq()).isEqualTo(first.seq());
        assertThat(messages.getState(id)).isEqualTo(resumed);
        assertThat(resumed.isPauseRequested()).isFalse();
        assertThat(messages.getMessages(id)).extracting(Message::content).containsExactly("hold on", "go on");
    }

    @Test
    void anotherKeyOrNoKeyStoresANewMessage() {
        WorkflowMessages messages = service();
        long id = startedWorkflow(messages);
        SendRequest comment = SendRequest.of(ActionType.COMMENT, "looks good");

        long a = messages.send(id, comment.withIdempotencyKey("a")).messageId();
        long b = messages.send(id, comment.withIdempotencyKey("b")).messageId();
        long none1 = messages.send(id, comment).messageId();
        long none2 = messages.send(id, comment).messageId();
        long upper = messages.send(id, comment.withIdempotencyKey("A")).messageId();

        assertThat(List.of(a, b, none1, none2, upper)).doesNotHaveDuplicates();
        assertThat(messages.getMessages(id)).hasSize(5);
    }

    @Test
    void oneKeyInTwoWorkflowsIsTwoMessages() {
        WorkflowMessages messages = service();
        long first = startedWorkflow(messages);
        long second = startedWorkflow(messages);
        SendRequest request = SendRequest.of(ActionType.INSTRUCTION, "add tests").withIdempotencyKey("same");

        messages.send(first, request);
        messages.send(second, request);

        assertThat(messages.getMessages(first)).hasSize(1);
        assertThat(messages.getMessages(second)).hasSize(1);
    }

    @Test
    void theSameKeyForADifferentMessageIsRefusedNamingTheKey() {
        WorkflowMessages messages = service();
        long id = startedWorkflow(messages);
        messages.send(id, new SendRequest("first", ActionType.COMMENT, Map.of("n", 1), "ana", "k"));

        for (SendRequest other : List.of(
                new SendRequest("second", ActionType.COMMENT, Map.of("n", 1), "ana", "k"),
                new SendRequest("first", ActionType.INSTRUCTION, Map.of("n", 1), "ana", "k"),
                new SendRequest("first", ActionType.COMMENT, Map.of("n", 2), "ana", "k"),
                new SendRequest("first", ActionType.COMMENT, null, "ana", "k"),
                new SendRequest("first", ActionType.COMMENT, Map.of("n", 1), "bo", "k"))) {
            InvalidMessageException refused = catchThrowableOfType(InvalidMessageException.class,
                    () -> messages.send(id, other));
            assertThat(refused).as("%s", other).isNotNull();
            assertThat(refused.field()).isEqualTo("idempotency_key");
        }
        // The same message again, its metadata's number written as another Java type, is a replay.
        assertThat(messages.send(id, new SendRequest("first", ActionType.COMMENT, Map.of("n", 1L), "ana", "k"))
                .seq()).isEqualTo(1);
        assertThat(messages.getMessages(id)).extracting(Message::content).containsExactly("first");
    }

    @Test
    void aKeyThatIsNotVisibleAsciiOfAtMost255CharactersIsRefusedAndNothingStored() {
        WorkflowMessages messages = service();
        long id = startedWorkflow(messages);
        for (String bad : List.of("", " ", "two words", "tab\there", "ключ", "emoji-\uD83D\uDE00", "x".repeat(256),
                "line\n")) {
            InvalidMessageException refused = catchThrowableOfType(InvalidMessageException.class,
                    () -> messages.send(id, SendRequest.of(ActionType.COMMENT, "hi").withIdempotencyKey(bad)));
            assertThat(refused).as("key '%s'", bad).isNotNull();
            assertThat(refused.field()).isEqualTo("idempotency_key");
        }
        messages.send(id, SendRequest.of(ActionType.COMMENT, "hi").withIdempotencyKey("~!" + "x".repeat(253)));
        assertThat(messages.getMessages(id)).hasSize(1);
    }

    @Test
    void manyThreadsSendingWithOneKeyStoreOneMessageAndAllGetItsResult() throws Exception {
        WorkflowMessages messages = service();
        long id = startedWorkflow(messages);
        int threads = 8;
        int perThread = 10;
        ExecutorService pool = threads(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<List<SendResult>>> results = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            results.add(pool.submit(() -> {
                start.await();
                List<SendResult> mine = new ArrayList<>();
                for (int i = 0; i < perThread; i++) {
                    mine.add(messages.send(id, SendRequest.of(ActionType.CANCEL, "stop").withIdempotencyKey("cancel-once")));
                    mine.add(messages.send(id, SendRequest.of(ActionType.COMMENT, "note " + i)
                            .withIdempotencyKey("note-" + i)));
                }
                return mine;
            }));
        }
        start.countDown();
        List<SendResult> all = new ArrayList<>();
        for (Future<List<SendResult>> result : results) {
            all.addAll(result.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        }

        List<Message> thread = messages.getMessages(id);
        ThreadAudit.assertGapFree(id, thread);
        assertThat(thread).hasSize(1 + perThread);
        assertThat(thread.stream().filter(m -> m.actionType() == ActionType.CANCEL)).hasSize(1);
        assertThat(all.stream().map(SendResult::messageId).distinct()).hasSize(1 + perThread);
    }

    @Test
    void aNarratorsCommentRetriedWithItsKeyIsStoredOnce() {
        WorkflowMessages messages = service();
        long id = startedWorkflow(messages);
        AgentNarrator code = messages.narrator(id, "code", 7L);

        Message first = code.say("Writing file: a.txt (3 bytes)", Map.of("operation", "write_file"), "write-a");
        Message again = code.say("Writing file: a.txt (3 bytes)", Map.of("operation", "write_file"), "write-a");
        Message other = code.say("Writing file: a.txt (3 bytes)", Map.of("operation", "write_file"), "write-a-2");
        InvalidMessageException refused = catchThrowableOfType(InvalidMessageException.class,
                () -> code.say("Writing file: b.txt (3 bytes)", Map.of("operation", "write_file"), "write-a"));
        InvalidMessageException badKey = catchThrowableOfType(InvalidMessageException.class,
                () -> code.say("Writing file: b.txt", null, "has space"));

        assertThat(again).isEqualTo(first);
        assertThat(other.id()).isNotEqualTo(first.id());
        assertThat(refused.field()).isEqualTo("idempotency_key");
        assertThat(refused.reason()).isEqualTo(InvalidMessageException.Reason.KEY_REUSED);
        assertThat(badKey.field()).isEqualTo("idempotency_key");
        assertThat(badKey.reason()).isEqualTo(InvalidMessageException.Reason.MALFORMED);
        assertThat(messages.getMessages(id)).extracting(Message::id).containsExactly(first.id(), other.id());
        assertThat(first.agentExecutionId()).isEqualTo(7L);
        assertThat(first.agentType()).isEqualTo("code");
    }

    @Test
    void acknowledgingAnInstructionTwiceReturnsTheStoredReply() throws Exception {
        WorkflowMessages messages = service();
        long id = startedWorkflow(messages);
        CheckpointGuard guard = messages.guard(id);
        messages.send(id, SendRequest.of(ActionType.INSTRUCTION, "use tabs"));
        Message instruction = guard.check().instructions().get(0);

        Message reply = guard.acknowledge(instruction, "Acknowledged user context - use tabs");
        Message again = guard.acknowledge(instruction, "Acknowledged user context - use tabs");

        assertThat(again).isEqualTo(reply);
        List<Message> thread = messages.getMessages(id);
        assertThat(thread).extracting(Message::messageType).containsExactly(MessageType.USER, MessageType.AGENT);
        assertThat(thread.get(0).actionStatus()).isEqualTo(ActionStatus.PROCESSED);
        assertThat(reply.metadata()).containsEntry("inReplyTo", instruction.id());
    }

    @Test
    void anotherGuardsReplyToTheSameMessageIsItsOwn() throws Exception {
        WorkflowMessages messages = service();
        long id = startedWorkflow(messages);
        CheckpointGuard first = messages.guard(id);
        CheckpointGuard second = messages.guard(id);
        messages.send(id, SendRequest.of(ActionType.INSTRUCTION, "use tabs"));
        Message instruction = first.check().instructions().get(0);
        first.acknowledge(instruction, "on it");

        // Another guard's reply is its own; only the same guard's retry is a replay.
        second.acknowledge(instruction, "me too");

        assertThat(messages.getMessages(id)).extracting(Message::content).containsExactly("use tabs", "on it", "me too");
    }

    @Test
    void aStoreCommitWithAKeyItHoldsAppliesNothingWhateverTheVersion() {
        WorkflowState started = store.createIfAbsent(newWorkflowId(), clock.instant());
        long id = started.workflowId();
        NewMessage keyed = new NewMessage(null, MessageType.USER, null, "pause", null, ActionType.PAUSE,
                ActionStatus.PENDING, clock.instant(), null, "k-1");
        CommitResult first = store.commit(Commit.transition(id, started.version(),
                dev.workflowthread.spi.StateUpdate.of(started).pauseRequested(clock.instant(), "pause"), List.of(),
                List.of(keyed)));
        WorkflowState after = store.findState(id).orElseThrow();

        // A retry made from the state read before the first commit: stale version, same key.
        CommitResult retried = store.commit(Commit.transition(id, started.version(),
                dev.workflowthread.spi.StateUpdate.of(started).pauseRequested(clock.instant(), "pause"), List.of(),
                List.of(keyed)));
        CommitResult appended = store.commit(Commit.append(id, keyed));

        assertThat(first.committed()).isTrue();
        for (CommitResult replay : List.of(retried, appended)) {
            assertThat(replay.replayed()).isTrue();
            assertThat(replay.committed()).isFalse();
            assertThat(replay.appended()).containsExactlyElementsOf(first.appended());
        }
        assertThat(store.findState(id)).contains(after);
        assertThat(store.readAfter(id, 0, 10)).containsExactlyElementsOf(first.appended());
    }
}
