package dev.workflowthread.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.workflowthread.ActionStatus;
import dev.workflowthread.ActionType;
import dev.workflowthread.InvalidMessageException;
import dev.workflowthread.Message;
import dev.workflowthread.MessageOptions;
import dev.workflowthread.MessageType;
import dev.workflowthread.SendPolicy;
import dev.workflowthread.SendRefusedException;
import dev.workflowthread.SendRequest;
import dev.workflowthread.SendResult;
import dev.workflowthread.ThreadEvent;
import dev.workflowthread.WorkflowMessages;
import dev.workflowthread.WorkflowState;
import dev.workflowthread.WorkflowStatus;
import dev.workflowthread.WorkflowThreadException;
import dev.workflowthread.spi.ThreadStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * The host's {@link SendPolicy}: consulted by every send of a person's message and its shorthands,
 * with the workflow's state and the request (whose author is the caller); a denial throws
 * {@link SendRefusedException} with the reason, and nothing is stored or published.
 */
public abstract class SendPolicyContract extends ContractSupport {

    /** Constructor for a store's test class that extends this part of the contract. */
    public SendPolicyContract() {
    }

    /** What a policy was asked. */
    private record Asked(WorkflowState state, SendRequest request) {
    }

    /** The demo's rule: anyone may comment or instruct; only "alice" may steer. */
    private static SendPolicy onlyAliceSteers(List<Asked> asked) {
        return (state, request) -> {
            asked.add(new Asked(state, request));
            return !request.actionType().isControl() || "alice".equals(request.author())
                    ? SendPolicy.Decision.allow()
                    : SendPolicy.Decision.deny((request.author() == null ? "someone unnamed" : request.author())
                    + " may not " + request.actionType().wireName() + " workflow " + state.workflowId());
        };
    }

    /** Counts the store's commits, to show a refused send did not even try one. */
    private final AtomicInteger commits = new AtomicInteger();

    private WorkflowMessages serviceWith(SendPolicy policy) {
        ThreadStore counted = InterceptedStore.before(store, (method, args) -> {
            if (method.getName().equals("commit")) {
                commits.incrementAndGet();
            }
        });
        return closeAfter(WorkflowMessages.create(counted, config().sendPolicy(policy).build()));
    }

    /** Runs {@code call}, expects the policy's refusal, and checks that nothing was stored or published. */
    private SendRefusedException assertRefused(WorkflowMessages messages, long id, ThrowingCallable call) {
        WorkflowState before = messages.getState(id);
        List<Message> thread = messages.getMessages(id);
        int commitsBefore = commits.get();
        Recorder events = new Recorder();
        messages.subscribe(id, before.lastSeq(), events);

        SendRefusedException refused = catchThrowableOfType(SendRefusedException.class, call);

        assertThat(refused).as("a SendRefusedException").isNotNull();
        assertThat(refused).isInstanceOf(WorkflowThreadException.class).isNotInstanceOf(InvalidMessageException.class);
        assertThat(messages.getState(id)).as("the state is unchanged").isEqualTo(before);
        assertThat(messages.getMessages(id)).as("nothing stored").isEqualTo(thread);
        assertThat(commits.get()).as("no commit was attempted").isEqualTo(commitsBefore);
        // An allowed message after it is the first event the subscriber gets: the refusal published nothing.
        SendResult after = messages.send(id, SendRequest.of(ActionType.COMMENT, "after the refusal"));
        events.awaitCount(1);
        assertThat(events.events.get(0)).isInstanceOfSatisfying(ThreadEvent.MessageAdded.class,
                added -> assertThat(added.message().id()).isEqualTo(after.messageId()));
        return refused;
    }

    @Test
    void theDefaultPolicyAllowsEverySend() {
        assertThat(config().build().sendPolicy()).isSameAs(SendPolicy.allowAll());
        WorkflowMessages messages = service();
        long id = startedWorkflow(messages);

        assertThat(messages.pause(id, "hold on").actionTaken().wireName()).isEqualTo("pause_requested");
        assertThat(messages.send(id, SendRequest.of(ActionType.CANCEL, "stop").withAuthor("mallory"))
                .actionTaken().wireName()).isEqualTo("cancel_requested");
    }

    @Test
    void aRefusedSendThrowsWithThePolicysReasonAndStoresNothing() {
        List<Asked> asked = new CopyOnWriteArrayList<>();
        WorkflowMessages messages = serviceWith(onlyAliceSteers(asked));
        long id = startedWorkflow(messages);

        SendRefusedException refused = assertRefused(messages, id,
                () -> messages.send(id, SendRequest.of(ActionType.CANCEL, "stop it").withAuthor("mallory")));

        assertThat(refused.reason()).isEqualTo("mallory may not cancel workflow " + id);
        assertThat(refused.getMessage()).isEqualTo(refused.reason());
        assertThat(refused.workflowId()).isEqualTo(id);
        assertThat(refused.actionType()).isEqualTo(ActionType.CANCEL);
        assertThat(refused.author()).isEqualTo("mallory");
        assertThat(messages.checkForInterrupt(id)).as("no cancel pending").isEmpty();
    }

    @Test
    void everyControlActionIsRefusedAndAnAllowedOneStoresTheAuthorThePolicyJudged() throws InterruptedException {
        List<Asked> asked = new CopyOnWriteArrayList<>();
        WorkflowMessages messages = serviceWith(onlyAliceSteers(asked));
        long id = startedWorkflow(messages);

        for (SendRequest request : List.of(SendRequest.of(ActionType.PAUSE, "wait"),
                SendRequest.of(ActionType.RESUME, "go on"), SendRequest.of(ActionType.CANCEL, "stop"),
                SendRequest.redirect("do this instead", "Another task"))) {
            assertRefused(messages, id, () -> messages.send(id, request.withAuthor("mallory")));
        }
        // The checkpoint goes on (neither paused nor stopped) and gets only the comments sent after each refusal.
        assertThat(messages.guard(id).check().messages()).extracting(Message::content)
                .containsOnly("after the refusal").hasSize(4);
        assertThat(messages.getState(id).status()).isEqualTo(WorkflowStatus.RUNNING);

        SendResult pause = messages.send(id, SendRequest.of(ActionType.PAUSE, "wait").withAuthor("alice"));
        SendResult comment = messages.send(id, SendRequest.of(ActionType.COMMENT, "nice").withAuthor("mallory"));

        assertThat(messages.getState(id).isPauseRequested()).isTrue();
        assertThat(messages.getMessages(id)).filteredOn(m -> m.id() == pause.messageId() || m.id() == comment.messageId())
                .extracting(Message::author).containsExactly("alice", "mallory");
    }

    @Test
    void theShorthandsAndUserMessagesThroughAddMessageAreJudgedToo() {
        List<Asked> asked = new CopyOnWriteArrayList<>();
        WorkflowMessages messages = serviceWith(onlyAliceSteers(asked));
        long id = startedWorkflow(messages);

        // The shorthands name no author: a policy that wants one refuses them.
        assertRefused(messages, id, () -> messages.pause(id, "wait"));
        assertRefused(messages, id, () -> messages.unpause(id));
        assertRefused(messages, id, () -> messages.cancel(id, "stop"));
        assertRefused(messages, id, () -> messages.addMessage(id, MessageType.USER, "stop",
                new MessageOptions(null, null, ActionType.CANCEL, null, "mallory")));

        assertThat(asked).extracting(a -> a.request().actionType())
                .startsWith(ActionType.PAUSE, ActionType.COMMENT, ActionType.RESUME, ActionType.COMMENT,
                        ActionType.CANCEL, ActionType.COMMENT, ActionType.CANCEL);
        assertThat(asked).filteredOn(a -> a.request().actionType().isControl())
                .extracting(a -> a.request().author()).containsExactly(null, null, null, "mallory");
        Message allowed = messages.addMessage(id, MessageType.USER, "stop",
                new MessageOptions(null, null, ActionType.CANCEL, null, "alice"));
        assertThat(allowed.author()).isEqualTo("alice");
        assertThat(allowed.actionStatus()).isEqualTo(ActionStatus.PENDING);
    }

    @Test
    void thePolicySeesTheWorkflowsCurrentStateAndTheRequestAsSent() {
        List<Asked> asked = new CopyOnWriteArrayList<>();
        WorkflowMessages messages = serviceWith(onlyAliceSteers(asked));
        long id = startedWorkflow(messages);
        messages.addMessage(id, MessageType.AGENT, "Starting plan agent - Analyzing codebase", MessageOptions.NONE);
        messages.send(id, SendRequest.of(ActionType.PAUSE, "wait").withAuthor("alice"));
        WorkflowState current = messages.getState(id);
        asked.clear();
        Map<String, Object> metadata = Map.of("skipToAgent", "review");
        SendRequest request = new SendRequest("skip the tests", ActionType.INSTRUCTION, metadata, "bob");

        messages.send(id, request);

        assertThat(asked).hasSize(1);
        assertThat(asked.get(0).state()).isEqualTo(current);
        assertThat(asked.get(0).state().workflowId()).isEqualTo(id);
        assertThat(asked.get(0).state().isPauseRequested()).isTrue();
        assertThat(asked.get(0).state().lastSeq()).isEqualTo(2);
        assertThat(asked.get(0).request()).isEqualTo(request);
    }

    @Test
    void aWriteThatRacesThePolicyIsJudgedAgainOnTheNewState() {
        List<Asked> asked = new CopyOnWriteArrayList<>();
        AtomicBoolean raced = new AtomicBoolean();
        WorkflowMessages[] holder = new WorkflowMessages[1];
        SendPolicy racing = (state, request) -> {
            asked.add(new Asked(state, request));
            if ("bob".equals(request.author()) && raced.compareAndSet(false, true)) {
                // Another person writes between this attempt's read and its commit.
                holder[0].send(state.workflowId(), SendRequest.of(ActionType.PAUSE, "alice's pause").withAuthor("alice"));
            }
            return SendPolicy.Decision.allow();
        };
        WorkflowMessages messages = serviceWith(racing);
        holder[0] = messages;
        long id = startedWorkflow(messages);

        SendResult result = messages.send(id, SendRequest.of(ActionType.COMMENT, "bob's note").withAuthor("bob"));

        List<Asked> bobs = asked.stream().filter(a -> "bob".equals(a.request().author())).toList();
        assertThat(bobs).as("asked once per attempt").hasSize(2);
        assertThat(bobs.get(0).state().isPauseRequested()).isFalse();
        assertThat(bobs.get(1).state().isPauseRequested()).as("the second time, on the state it is stored against")
                .isTrue();
        assertThat(bobs.get(1).state().lastSeq()).isEqualTo(1);
        assertThat(result.seq()).isEqualTo(2);
    }

    @Test
    void invalidInputIsRefusedAsInvalidBeforeThePolicyIsAsked() {
        List<Asked> asked = new CopyOnWriteArrayList<>();
        WorkflowMessages messages = serviceWith(onlyAliceSteers(asked));
        long id = startedWorkflow(messages);

        assertThatThrownBy(() -> messages.send(id, SendRequest.of(ActionType.CANCEL, " ").withAuthor("mallory")))
                .isInstanceOfSatisfying(InvalidMessageException.class, e -> assertThat(e.field()).isEqualTo("content"));

        assertThat(asked).isEmpty();
    }

    @Test
    void agentAndSystemMessagesAndTheLifecycleDoNotAskThePolicy() {
        List<Asked> asked = new CopyOnWriteArrayList<>();
        WorkflowMessages messages = serviceWith((state, request) -> {
            asked.add(new Asked(state, request));
            return SendPolicy.Decision.deny("nobody may send anything");
        });
        long id = startedWorkflow(messages);

        messages.narrator(id, "plan", null).say("Reading file: src/index.ts");
        messages.addMessage(id, MessageType.SYSTEM, "Note from the host", MessageOptions.NONE);
        messages.complete(id, "done");

        assertThat(asked).isEmpty();
        assertThat(messages.getState(id).status()).isEqualTo(WorkflowStatus.COMPLETED);
        assertThatThrownBy(() -> messages.send(id, SendRequest.of(ActionType.COMMENT, "a review note")))
                .isInstanceOf(SendRefusedException.class).hasMessage("nobody may send anything");
    }

    @Test
    void aPolicyThatThrowsFailsTheSendClosedWithItsOwnException() {
        IllegalStateException broken = new IllegalStateException("the host's user directory is down");
        WorkflowMessages messages = serviceWith((state, request) -> {
            throw broken;
        });
        long id = startedWorkflow(messages);
        WorkflowState before = messages.getState(id);
        int commitsBefore = commits.get();

        assertThatThrownBy(() -> messages.send(id, SendRequest.of(ActionType.COMMENT, "hello"))).isSameAs(broken);
        assertThatThrownBy(() -> messages.cancel(id, "stop")).isSameAs(broken);

        assertThat(messages.getState(id)).isEqualTo(before);
        assertThat(messages.getMessages(id)).isEmpty();
        assertThat(commits.get()).isEqualTo(commitsBefore);
    }

    @Test
    void aPolicyThatAnswersNullFailsTheSendClosedSayingSo() {
        WorkflowMessages messages = serviceWith((state, request) -> null);
        long id = startedWorkflow(messages);

        assertThatThrownBy(() -> messages.pause(id, "wait"))
                .isExactlyInstanceOf(WorkflowThreadException.class)
                .hasMessageContaining("returned null").hasMessageContaining("pause to workflow " + id);

        assertThat(messages.getMessages(id)).isEmpty();
        assertThat(messages.getState(id).isPauseRequested()).isFalse();
    }

    @Test
    void aDecisionSaysWhyOrNothing() {
        assertThat(SendPolicy.Decision.allow().allowed()).isTrue();
        assertThat(SendPolicy.Decision.allow().reason()).isNull();
        assertThat(SendPolicy.Decision.deny("not yours").reason()).isEqualTo("not yours");
        assertThatThrownBy(() -> SendPolicy.Decision.deny(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SendPolicy.Decision.deny(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SendPolicy.Decision(true, "why")).isInstanceOf(IllegalArgumentException.class);
    }
}
