package dev.workflowthread.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.workflowthread.ActionStatus;
import dev.workflowthread.ActionTaken;
import dev.workflowthread.ActionType;
import dev.workflowthread.Checkpoint;
import dev.workflowthread.CheckpointGuard;
import dev.workflowthread.Message;
import dev.workflowthread.RedirectNotConfiguredException;
import dev.workflowthread.SendRequest;
import dev.workflowthread.SendResult;
import dev.workflowthread.WorkflowMessages;
import dev.workflowthread.WorkflowStatus;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The table of user actions: what sending each action does to a running, a paused and a finished workflow. */
public abstract class UserActionsContract extends ContractSupport {

    /** Constructor for a store's test class that extends this part of the contract. */
    public UserActionsContract() {
    }

    private static Message stored(WorkflowMessages messages, long workflowId, SendResult result) {
        return messages.getMessages(workflowId).stream().filter(m -> m.id() == result.messageId()).findFirst().orElseThrow();
    }

    @Test
    void aCommentOnARunningWorkflowIsHandedToTheNextCheckpointAsContext() throws Exception {
        WorkflowMessages messages = service();
        long id = startedWorkflow(messages);
        CheckpointGuard guard = messages.guard(id);
        SendResult result = messages.send(id, SendRequest.of(ActionType.COMMENT, "Looks good so far"));
        assertThat(result.actionTaken()).isEqualTo(ActionTaken.COMMENT_ADDED);
        assertThat(stored(messages, id, result).actionStatus()).isEqualTo(ActionStatus.PENDING);

        Checkpoint checkpoint = guard.check();
        assertThat(checkpoint.comments()).extracting(Message::content).containsExactly("Looks good so far");
        assertThat(stored(messages, id, result).actionStatus()).isEqualTo(ActionStatus.PROCESSED);
        assertThat(guard.check().isEmpty()).as("handed over once").isTrue();
    }

    @Test
    void aCommentOnAFinishedWorkflowIsStoredAsAReviewNote() {
        WorkflowMessages messages = service();
        long id = startedWorkflow(messages);
        messages.complete(id, null);
        SendResult result = messages.send(id, SendRequest.of(ActionType.COMMENT, "Nice work, merging"));
        assertThat(result.actionTaken()).isEqualTo(ActionTaken.COMMENT_ADDED);
        assertThat(stored(messages, id, result).actionStatus()).isEqualTo(ActionStatus.PROCESSED);
    }

    @Test
    void anInstructionIsHandedOverAndAcknowledgedByTheAgentsReply() throws Exception {
        WorkflowMessages messages = service();
        long id = startedWorkflow(messages);
        CheckpointGuard guard = messages.guard(id);
        SendResult result = messages.send(id, SendRequest.of(ActionType.INSTRUCTION, "Use JWT cookies"));
        assertThat(result.actionTaken()).isEqualTo(ActionTaken.INSTRUCTION_QUEUED);

        Message instruction = guard.check().instructions().get(0);
        assertThat(instruction.actionStatus()).isEqualTo(ActionStatus.ACKNOWLEDGED);
        Message reply = guard.acknowledge(instruction, "Acknowledged user context - JWT cookies");
        assertThat(reply.metadata()).containsEntry("inReplyTo", instruction.id());
        assertThat(stored(messages, id, result).actionStatus()).isEqualTo(ActionStatus.PROCESSED);
        assertThat(guard.check().isEmpty()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(value = ActionType.class, names = {"INSTRUCTION", "PAUSE", "RESUME", "CANCEL", "REDIRECT"})
    void everyActionButACommentIsIgnoredOnAFinishedWorkflowAndTheResultSaysWhy(ActionType action) {
        WorkflowMessages messages = service();
        long id = startedWorkflow(messages);
        messages.complete(id, "done");
        SendRequest request = action == ActionType.REDIRECT ? SendRequest.redirect("go elsewhere", "New task")
                : SendRequest.of(action, "please " + action.wireName());
        SendResult result = messages.send(id, request);
        assertThat(result.ignored()).isTrue();
        assertThat(result.reason()).contains("completed");
        assertThat(stored(messages, id, result).actionStatus()).isEqualTo(ActionStatus.IGNORED);
        assertThat(messages.getState(id).status()).isEqualTo(WorkflowStatus.COMPLETED);
    }

    @Test
    void pauseSetsThePauseRequestAndASecondPauseIsIgnored() {
        WorkflowMessages messages = service();
        long id = startedWorkflow(messages);
        SendResult first = messages.pause(id, "Need to add a requirement");
        assertThat(first.actionTaken()).isEqualTo(ActionTaken.PAUSE_REQUESTED);
        assertThat(messages.getState(id).pauseRequestedAt()).isEqualTo(clock.instant());
        assertThat(messages.getState(id).pauseReason()).isEqualTo("Need to add a requirement");

        SendResult second = messages.pause(id, "again");
        assertThat(second.ignored()).isTrue();
        assertThat(second.reason()).isEqualTo("a pause is already requested");
    }

    @Test
    void aPauseOfAPausedWorkflowIsIgnored() throws Exception {
        WorkflowMessages messages = service();
        long id = startedWorkflow(messages);
        messages.pause(id, "first");
        CheckpointGuard guard = messages.guard(id);
        var paused = threads(1).submit(() -> guard.check());
        org.awaitility.Awaitility.await().atMost(WAIT).until(() -> messages.getState(id).paused());
        SendResult again = messages.pause(id, "second");
        assertThat(again.ignored()).isTrue();
        assertThat(again.reason()).isEqualTo("workflow is already paused");
        messages.unpause(id);
        assertThat(paused.get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS).isEmpty()).isTrue();
    }

    @Test
    void aResumeOfAWorkflowThatIsNotPausedIsIgnored() {
        WorkflowMessages messages = service();
        long id = startedWorkflow(messages);
        SendResult result = messages.unpause(id);
        assertThat(result.ignored()).isTrue();
        assertThat(result.reason()).isEqualTo("workflow is not paused");
    }

    @Test
    void aResumeWithdrawsAPauseRequestAndBothApplyInOrderAtTheCheckpoint() throws Exception {
        WorkflowMessages messages = service();
        long id = startedWorkflow(messages);
        CheckpointGuard guard = messages.guard(id);
        assertThat(messages.pause(id, "hold").actionTaken()).isEqualTo(ActionTaken.PAUSE_REQUESTED);
        assertThat(messages.unpause(id).actionTaken()).isEqualTo(ActionTaken.RESUME_REQUESTED);
        assertThat(messages.getState(id).isPauseRequested()).isFalse();

        assertThat(guard.check().isEmpty()).isTrue();
        assertThat(transcript(messages, id)).containsExactly(
                "[User Message] hold",
                "[User Message] Resume requested",
                "[System] Workflow paused at user request",
                "[System] Workflow resumed");
        assertThat(messages.getState(id).status()).isEqualTo(WorkflowStatus.RUNNING);
        assertThat(messages.getPendingUserMessages(id)).isEmpty();
    }

    @Test
    void aCancelIsRequestedAndAppliedAtTheNextCheckpoint() {
        WorkflowMessages messages = service();
        long id = startedWorkflow(messages);
        SendResult result = messages.cancel(id, "Wrong repository");
        assertThat(result.actionTaken()).isEqualTo(ActionTaken.CANCEL_REQUESTED);
        assertThat(messages.getState(id).status()).isEqualTo(WorkflowStatus.RUNNING);
        assertThatThrownBy(() -> messages.guard(id).check())
                .isInstanceOf(dev.workflowthread.WorkflowCancelledException.class)
                .hasMessageContaining("Wrong repository");
        assertThat(messages.getState(id).status()).isEqualTo(WorkflowStatus.CANCELLED);
        assertThat(transcript(messages, id)).last().isEqualTo("[System] Workflow cancelled by user: Wrong repository");
    }

    @Test
    void aRedirectIsRequestedWithItsNewTask() {
        WorkflowMessages messages = service();
        long id = startedWorkflow(messages);
        SendResult result = messages.send(id, SendRequest.redirect("REDIRECT: dropdown instead", "Build a dropdown menu"));
        assertThat(result.actionTaken()).isEqualTo(ActionTaken.REDIRECT_REQUESTED);
        assertThat(stored(messages, id, result).newTaskDescription()).isEqualTo("Build a dropdown menu");
    }

    @Test
    void aRedirectWithoutAHandlerIsRejectedAtSendTimeAndNothingIsStored() {
        WorkflowMessages messages = closeAfter(WorkflowMessages.create(store,
                dev.workflowthread.WorkflowThreadConfig.builder().clock(clock).build()));
        long id = startedWorkflow(messages);
        long versionBefore = messages.getState(id).version();
        assertThatThrownBy(() -> messages.send(id, SendRequest.redirect("REDIRECT: x", "New task")))
                .isInstanceOf(RedirectNotConfiguredException.class)
                .hasMessageContaining("RedirectHandler")
                .extracting(e -> ((RedirectNotConfiguredException) e).reason())
                .isEqualTo(dev.workflowthread.InvalidArgumentException.Reason.NOT_APPLICABLE);
        assertThat(messages.getMessages(id)).isEmpty();
        assertThat(messages.getState(id).version()).isEqualTo(versionBefore);
    }

    @Test
    void theAuthorAndMetadataOfAUserMessageAreKeptForTheAuditTrail() {
        WorkflowMessages messages = service();
        long id = startedWorkflow(messages);
        SendResult result = messages.send(id, SendRequest.of(ActionType.INSTRUCTION, "Use Postgres")
                .withAuthor("ana@example.com")
                .withMetadata(Map.of("additionalContext", "prod runs PG 15", "custom", List.of(1, 2))));
        Message message = stored(messages, id, result);
        assertThat(message.author()).isEqualTo("ana@example.com");
        assertThat(message.metadataString("additionalContext")).isEqualTo("prod runs PG 15");
        assertThat((List<?>) message.metadata().get("custom")).hasSize(2);
        assertThat(result.seq()).isEqualTo(message.seq());
    }

    @Test
    void aSendResultSaysTheStoredMessagesStatusAndTheStateTheSendLeft() {
        WorkflowMessages messages = service();
        long id = startedWorkflow(messages);

        SendResult pause = messages.send(id, SendRequest.of(ActionType.PAUSE, "Hold on"));
        assertThat(pause.actionStatus()).isEqualTo(ActionStatus.PENDING).isEqualTo(stored(messages, id, pause).actionStatus());
        assertThat(pause.state()).isEqualTo(messages.getState(id));
        assertThat(pause.state().isPauseRequested()).isTrue();
        assertThat(pause.state().lastSeq()).isEqualTo(pause.seq());

        SendResult again = messages.send(id, SendRequest.of(ActionType.PAUSE, "Hold on, really"));
        assertThat(again.ignored()).isTrue();
        assertThat(again.actionStatus()).isEqualTo(ActionStatus.IGNORED);
        assertThat(again.state()).isEqualTo(messages.getState(id));

        SendResult resume = messages.send(id, SendRequest.of(ActionType.RESUME, "Go on"));
        assertThat(resume.state().isPauseRequested()).isFalse();
        assertThat(resume.state().version()).isGreaterThan(pause.state().version());

        messages.cancel(id, "wrong repository");
        CheckpointGuard guard = messages.guard(id);
        assertThatThrownBy(guard::check).isInstanceOf(dev.workflowthread.WorkflowCancelledException.class);
        SendResult note = messages.send(id, SendRequest.of(ActionType.COMMENT, "Agreed"));
        assertThat(note.actionStatus()).isEqualTo(ActionStatus.PROCESSED);
        assertThat(note.state().status()).isEqualTo(WorkflowStatus.CANCELLED);
        SendResult late = messages.send(id, SendRequest.of(ActionType.PAUSE, "too late"));
        assertThat(late.ignored()).isTrue();
        assertThat(late.state().isFinished()).as("ignored because it finished").isTrue();
        assertThat(late.state()).isEqualTo(messages.getState(id));
    }
}
