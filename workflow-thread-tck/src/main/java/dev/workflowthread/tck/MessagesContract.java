package dev.workflowthread.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.workflowthread.ActionStatus;
import dev.workflowthread.ActionType;
import dev.workflowthread.InterruptSignal;
import dev.workflowthread.InvalidMessageException;
import dev.workflowthread.Message;
import dev.workflowthread.MessageNotFoundException;
import dev.workflowthread.MessageOptions;
import dev.workflowthread.MessageType;
import dev.workflowthread.SendRequest;
import dev.workflowthread.WorkflowFinishedException;
import dev.workflowthread.WorkflowMessages;
import dev.workflowthread.WorkflowNotFoundException;
import dev.workflowthread.WorkflowState;
import dev.workflowthread.WorkflowStatus;
import dev.workflowthread.WorkflowStoppedException;
import dev.workflowthread.spi.ThreadStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Writing, reading and paging a thread; the host's lifecycle calls; the non-blocking peek. */
public abstract class MessagesContract extends ContractSupport {

    /** Constructor for a store's test class that extends this part of the contract. */
    public MessagesContract() {
    }

    @Test
    void agentAndSystemMessagesAreStoredAsProcessedCommentsAndReadBackInOrder() {
        WorkflowMessages messages = service();
        long id = startedWorkflow(messages);
        Message agent = messages.addMessage(id, MessageType.AGENT, "Reading file: src/index.ts",
                MessageOptions.agent("plan", 7L).withMetadata(Map.of("path", "src/index.ts")));
        Message system = messages.addMessage(id, MessageType.SYSTEM, "Workflow started", MessageOptions.NONE);

        assertThat(agent.seq()).isEqualTo(1);
        assertThat(agent.agentType()).isEqualTo("plan");
        assertThat(agent.agentExecutionId()).isEqualTo(7L);
        assertThat(agent.actionType()).isEqualTo(ActionType.COMMENT);
        assertThat(agent.actionStatus()).isEqualTo(ActionStatus.PROCESSED);
        assertThat(agent.createdAt()).isEqualTo(clock.instant());
        assertThat(messages.getMessages(id)).containsExactly(agent, system);
        assertThat(messages.getState(id).lastSeq()).isEqualTo(2);
    }

    @Test
    void aUserMessageWrittenWithAddMessageIsSentWithItsAction() {
        WorkflowMessages messages = service();
        long id = startedWorkflow(messages);
        Message pause = messages.addMessage(id, MessageType.USER, "Please pause",
                MessageOptions.NONE.withActionType(ActionType.PAUSE).withAuthor("ana"));
        assertThat(pause.actionStatus()).isEqualTo(ActionStatus.PENDING);
        assertThat(pause.author()).isEqualTo("ana");
        assertThat(messages.getState(id).isPauseRequested()).isTrue();
    }

    @Test
    void agentMessagesCannotCarryAControlAction() {
        WorkflowMessages messages = service();
        long id = startedWorkflow(messages);
        assertThatThrownBy(() -> messages.addMessage(id, MessageType.AGENT, "cancel everything",
                MessageOptions.NONE.withActionType(ActionType.CANCEL)))
                .isInstanceOf(InvalidMessageException.class)
                .extracting(e -> ((InvalidMessageException) e).field()).isEqualTo("action_type");
        assertThat(messages.getMessages(id)).isEmpty();
    }

    @Test
    void threadsArePagedAfterASeqAndByTheNewest() {
        WorkflowMessages messages = service();
        long id = startedWorkflow(messages);
        for (int i = 1; i <= 2_500; i++) {
            messages.addMessage(id, MessageType.AGENT, "step " + i, MessageOptions.NONE);
        }
        assertThat(messages.getMessages(id)).hasSize(2_500)
                .extracting(Message::seq).isSorted().doesNotHaveDuplicates();
        List<Message> page = messages.getMessages(id, 100, 50);
        assertThat(page).extracting(Message::content).first().isEqualTo("step 101");
        assertThat(page).hasSize(50);
        assertThat(messages.getNewestMessages(id, 3)).extracting(Message::content)
                .containsExactly("step 2498", "step 2499", "step 2500");
        assertThat(messages.getMessages(id, 2_500, 10)).isEmpty();
    }

    @Test
    void pendingUserMessagesAreTheOpenOnesOnly() throws Exception {
        WorkflowMessages messages = service();
        long id = startedWorkflow(messages);
        messages.addMessage(id, MessageType.AGENT, "working", MessageOptions.NONE);
        long instruction = messages.send(id, SendRequest.of(ActionType.INSTRUCTION, "use JWT")).messageId();
        long comment = messages.send(id, SendRequest.of(ActionType.COMMENT, "nice")).messageId();
        messages.send(id, SendRequest.of(ActionType.RESUME, "resume")); // ignored: not paused

        assertThat(messages.getPendingUserMessages(id)).extracting(Message::id).containsExactly(instruction, comment);
        messages.guard(id).check();
        assertThat(messages.getPendingUserMessages(id)).extracting(Message::id).containsExactly(instruction);
        assertThat(messages.getPendingUserMessages(id).get(0).actionStatus()).isEqualTo(ActionStatus.ACKNOWLEDGED);
    }

    @Test
    void markMessageProcessedAndIgnoredCloseAnOpenUserMessageOnce() {
        WorkflowMessages messages = service();
        long id = startedWorkflow(messages);
        long first = messages.send(id, SendRequest.of(ActionType.INSTRUCTION, "one")).messageId();
        long second = messages.send(id, SendRequest.of(ActionType.INSTRUCTION, "two")).messageId();

        assertThat(messages.markMessageProcessed(first)).isTrue();
        assertThat(messages.markMessageProcessed(first)).isFalse();
        assertThat(messages.markMessageIgnored(second)).isTrue();
        assertThat(messages.markMessageProcessed(second)).isFalse();
        assertThat(messages.getMessages(id)).extracting(Message::actionStatus)
                .containsExactly(ActionStatus.PROCESSED, ActionStatus.IGNORED);
        assertThat(messages.getPendingUserMessages(id)).isEmpty();
    }

    @Test
    void markMessageProcessedRejectsUnknownAndAgentMessages() {
        WorkflowMessages messages = service();
        long id = startedWorkflow(messages);
        long agent = messages.addMessage(id, MessageType.AGENT, "hello", MessageOptions.NONE).id();
        assertThatThrownBy(() -> messages.markMessageProcessed(agent)).isInstanceOf(InvalidMessageException.class);
        assertThatThrownBy(() -> messages.markMessageProcessed(Long.MAX_VALUE - 7))
                .isInstanceOf(MessageNotFoundException.class);
    }

    @Test
    void startIsIdempotentWhileRunningAndRefusesAFinishedWorkflow() {
        WorkflowMessages messages = service();
        long id = newWorkflowId();
        WorkflowState first = messages.start(id);
        messages.addMessage(id, MessageType.AGENT, "working", MessageOptions.NONE);
        WorkflowState again = messages.start(id);
        assertThat(first.status()).isEqualTo(WorkflowStatus.RUNNING);
        assertThat(again.lastSeq()).isEqualTo(1);
        messages.complete(id, null);
        assertThatThrownBy(() -> messages.start(id)).isInstanceOf(WorkflowFinishedException.class);
    }

    @Test
    void completeRecordsTheEndAndIgnoresWhatIsStillOpen() {
        WorkflowMessages messages = service();
        long id = startedWorkflow(messages);
        long instruction = messages.send(id, SendRequest.of(ActionType.INSTRUCTION, "also add tests")).messageId();
        WorkflowState done = messages.complete(id, "All six agents finished");

        assertThat(done.status()).isEqualTo(WorkflowStatus.COMPLETED);
        assertThat(transcript(messages, id)).containsExactly(
                "[User Message] also add tests",
                "[System] Workflow completed: All six agents finished");
        assertThat(messages.getMessages(id).get(0).id()).isEqualTo(instruction);
        assertThat(messages.getMessages(id).get(0).actionStatus()).isEqualTo(ActionStatus.IGNORED);
        assertThatThrownBy(() -> messages.complete(id, "again")).isInstanceOf(WorkflowFinishedException.class);
        assertThatThrownBy(() -> messages.fail(id, "late")).isInstanceOf(WorkflowFinishedException.class);
    }

    @Test
    void failRecordsTheReason() {
        WorkflowMessages messages = service();
        long id = startedWorkflow(messages);
        WorkflowState failed = messages.fail(id, "model quota exhausted");
        assertThat(failed.status()).isEqualTo(WorkflowStatus.FAILED);
        assertThat(failed.statusReason()).isEqualTo("model quota exhausted");
        assertThat(transcript(messages, id)).containsExactly("[System] Workflow failed: model quota exhausted");
    }

    @Test
    void checkForInterruptPeeksWithoutTakingAnything() {
        WorkflowMessages messages = service();
        long id = startedWorkflow(messages);
        assertThat(messages.checkForInterrupt(id)).isEmpty();

        long pause = messages.pause(id, "hold on").messageId();
        assertThat(messages.checkForInterrupt(id)).get().isInstanceOfSatisfying(InterruptSignal.Pause.class, p -> {
            assertThat(p.messageId()).isEqualTo(pause);
            assertThat(p.reason()).isEqualTo("hold on");
        });
        long redirect = messages.send(id, SendRequest.redirect("REDIRECT: dropdown", "Build a dropdown")).messageId();
        assertThat(messages.checkForInterrupt(id)).get().isInstanceOfSatisfying(InterruptSignal.Redirect.class, r -> {
            assertThat(r.messageId()).isEqualTo(redirect);
            assertThat(r.newTaskDescription()).isEqualTo("Build a dropdown");
        });
        long cancel = messages.cancel(id, "stop it").messageId();
        assertThat(messages.checkForInterrupt(id)).get().isInstanceOfSatisfying(InterruptSignal.Cancel.class, c -> {
            assertThat(c.messageId()).isEqualTo(cancel);
            assertThat(c.reason()).isEqualTo("stop it");
        });
        assertThat(messages.getPendingUserMessages(id)).extracting(Message::actionStatus)
                .containsOnly(ActionStatus.PENDING);
    }

    @Test
    void checkForInterruptOfAStoppedWorkflowSaysItStopped() {
        WorkflowMessages messages = service();
        long cancelled = startedWorkflow(messages);
        messages.cancel(cancelled, "wrong repo");
        assertThatThrownBy(() -> messages.guard(cancelled).check()).isInstanceOf(WorkflowStoppedException.class);
        assertThat(messages.checkForInterrupt(cancelled)).get().isInstanceOfSatisfying(InterruptSignal.Cancel.class,
                c -> assertThat(c.reason()).isEqualTo("wrong repo"));
        long completed = startedWorkflow(messages);
        messages.complete(completed, null);
        assertThat(messages.checkForInterrupt(completed)).isEmpty();
    }

    @Test
    void pauseThenResumeBeforeACheckpointNetsOutToNoInterrupt() {
        WorkflowMessages messages = service();
        long id = startedWorkflow(messages);
        messages.pause(id, "wait");
        messages.unpause(id);
        assertThat(messages.checkForInterrupt(id)).isEmpty();
    }

    @Test
    void everyCallOnAWorkflowWithoutAThreadSaysSo() {
        WorkflowMessages messages = service();
        long unknown = newWorkflowId();
        assertThatThrownBy(() -> messages.getMessages(unknown)).isInstanceOf(WorkflowNotFoundException.class);
        assertThatThrownBy(() -> messages.getMessages(unknown, 0, 10)).isInstanceOf(WorkflowNotFoundException.class);
        assertThatThrownBy(() -> messages.getState(unknown)).isInstanceOf(WorkflowNotFoundException.class);
        assertThatThrownBy(() -> messages.send(unknown, SendRequest.of(ActionType.PAUSE, "x")))
                .isInstanceOf(WorkflowNotFoundException.class);
        assertThatThrownBy(() -> messages.addMessage(unknown, MessageType.AGENT, "x", MessageOptions.NONE))
                .isInstanceOf(WorkflowNotFoundException.class)
                .extracting(e -> ((WorkflowNotFoundException) e).workflowId()).isEqualTo(unknown);
        assertThatThrownBy(() -> messages.getPendingUserMessages(unknown)).isInstanceOf(WorkflowNotFoundException.class);
        assertThatThrownBy(() -> messages.guard(unknown)).isInstanceOf(WorkflowNotFoundException.class);
        assertThatThrownBy(() -> messages.subscribe(unknown, 0, e -> { })).isInstanceOf(WorkflowNotFoundException.class);
        assertThatThrownBy(() -> messages.complete(unknown, null)).isInstanceOf(WorkflowNotFoundException.class);
        assertThat(store.findState(unknown)).isEmpty();
    }

    @Test
    void anAgentCommentIsOneCommitAndAPendingLookupOneRead() {
        List<String> calls = new CopyOnWriteArrayList<>();
        ThreadStore counted = (ThreadStore) Proxy.newProxyInstance(ThreadStore.class.getClassLoader(),
                new Class<?>[] {ThreadStore.class}, (proxy, method, args) -> {
                    calls.add(method.getName());
                    try {
                        return method.invoke(store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        WorkflowMessages messages = closeAfter(WorkflowMessages.create(counted, config().build()));
        long id = startedWorkflow(messages);
        messages.send(id, SendRequest.of(ActionType.INSTRUCTION, "Use JWT cookies"));
        calls.clear();

        messages.narrator(id, "code", null).say("Reading file: src/index.ts", null);
        assertThat(calls).as("store calls of one agent comment").containsExactly("commit");

        calls.clear();
        assertThat(messages.getPendingUserMessages(id)).hasSize(1);
        assertThat(calls).as("store calls of a pending lookup that finds one").containsExactly("findOpenUserMessages");
    }
}
