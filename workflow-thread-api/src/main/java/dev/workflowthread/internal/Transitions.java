package dev.workflowthread.internal;

import dev.workflowthread.ActionStatus;
import dev.workflowthread.ActionTaken;
import dev.workflowthread.ActionType;
import dev.workflowthread.Message;
import dev.workflowthread.PauseTimeoutOutcome;
import dev.workflowthread.ThreadEvent;
import dev.workflowthread.WorkflowState;
import dev.workflowthread.WorkflowStatus;
import dev.workflowthread.WorkflowThreadConfig;
import dev.workflowthread.spi.Commit;
import dev.workflowthread.spi.OpenMessage;
import dev.workflowthread.spi.Resolution;
import dev.workflowthread.spi.StateUpdate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What each step of a workflow's life does to its state, decided in one place: what a send does
 * to a state, and the commits of pause, resume, cancel, redirect and finishing, with the words of
 * {@link SystemMessages}. Pure: it reads nothing and writes nothing; {@link ThreadCore#retry}
 * commits what it decides.
 */
final class Transitions {

    private Transitions() {
    }

    // ---- sending ----

    /** What sending one user message does, decided from the workflow's state. */
    record SendDecision(ActionStatus status, ActionTaken taken, String reason, StateUpdate update) {

        static SendDecision ignored(String reason, StateUpdate same) {
            return new SendDecision(ActionStatus.IGNORED, ActionTaken.IGNORED, reason, same);
        }
    }

    static SendDecision send(WorkflowState state, ActionType action, String content, Instant now) {
        StateUpdate same = StateUpdate.of(state);
        if (state.isFinished()) {
            if (action == ActionType.COMMENT) {
                // A review note on a finished workflow is welcome; there is no agent to hand it to.
                return new SendDecision(ActionStatus.PROCESSED, ActionTaken.COMMENT_ADDED, null, same);
            }
            return SendDecision.ignored("workflow is " + state.status().wireName(), same);
        }
        return switch (action) {
            case COMMENT -> new SendDecision(ActionStatus.PENDING, ActionTaken.COMMENT_ADDED, null, same);
            case INSTRUCTION -> new SendDecision(ActionStatus.PENDING, ActionTaken.INSTRUCTION_QUEUED, null, same);
            case PAUSE -> state.isPauseRequested()
                    ? SendDecision.ignored(state.paused() ? "workflow is already paused" : "a pause is already requested",
                    same)
                    : new SendDecision(ActionStatus.PENDING, ActionTaken.PAUSE_REQUESTED, null,
                    same.pauseRequested(now, content));
            case RESUME -> state.isPauseRequested()
                    ? new SendDecision(ActionStatus.PENDING, ActionTaken.RESUME_REQUESTED, null,
                    same.pauseRequestWithdrawn())
                    : SendDecision.ignored(state.paused() ? "a resume is already requested" : "workflow is not paused",
                    same);
            case CANCEL -> new SendDecision(ActionStatus.PENDING, ActionTaken.CANCEL_REQUESTED, null, same);
            case REDIRECT -> new SendDecision(ActionStatus.PENDING, ActionTaken.REDIRECT_REQUESTED, null, same);
        };
    }

    // ---- pause and resume ----

    /**
     * Applies a pause or resume message. Pause while paused, or resume while running, is ignored;
     * that decision rests on the state as much as the others, so it is compare-and-set too: a state
     * read before another checkpoint applied an older message must not decide it.
     */
    static Commit pauseOrResume(WorkflowState state, Message control, Instant now) {
        boolean pause = control.actionType() == ActionType.PAUSE;
        if (pause && !state.paused()) {
            return Commit.transition(state.workflowId(), state.version(), StateUpdate.of(state).pausedAt(now),
                    List.of(Resolution.ofOpen(control.id(), ActionStatus.PROCESSED)),
                    List.of(SystemMessages.stateMessage(SystemMessages.PAUSED, ThreadEvent.WorkflowPaused.NAME,
                            control, now, Map.of(SystemMessages.REASON, control.content()))));
        }
        if (!pause && state.paused()) {
            return Commit.transition(state.workflowId(), state.version(), StateUpdate.of(state).running(true),
                    List.of(Resolution.ofOpen(control.id(), ActionStatus.PROCESSED)),
                    List.of(SystemMessages.stateMessage(SystemMessages.RESUMED, ThreadEvent.WorkflowUnpaused.NAME,
                            control, now, Map.of())));
        }
        return Commit.transition(state.workflowId(), state.version(), StateUpdate.of(state),
                List.of(Resolution.ofOpen(control.id(), ActionStatus.IGNORED)), List.of());
    }

    /** The pause ran out and the configuration says resume: the loop goes on by itself. */
    static Commit resumeAfterPause(WorkflowState state, WorkflowThreadConfig config, Instant now) {
        return Commit.transition(state.workflowId(), state.version(), StateUpdate.of(state).running(false), List.of(),
                List.of(SystemMessages.stateMessage(SystemMessages.resumedAfterPause(config.pauseTimeout()),
                        ThreadEvent.WorkflowUnpaused.NAME, null, now, Map.of())));
    }

    // ---- finishing ----

    /** How a workflow finishes: its final status, and the system message that says so. */
    record Ending(WorkflowStatus status, String reason, Long newWorkflowId, String content, String event,
                  Map<String, Object> details) {

        static Ending completed(String summary) {
            return new Ending(WorkflowStatus.COMPLETED, summary, null, SystemMessages.completed(summary),
                    ThreadEvent.WorkflowCompleted.NAME, Collections.singletonMap(SystemMessages.SUMMARY, summary));
        }

        static Ending failed(String reason) {
            return new Ending(WorkflowStatus.FAILED, reason, null, SystemMessages.failed(reason),
                    ThreadEvent.WorkflowFailed.NAME, Map.of(SystemMessages.REASON, reason));
        }

        /** A person's cancel message. */
        static Ending cancelled(Message cancel) {
            return new Ending(WorkflowStatus.CANCELLED, cancel.content(), null, SystemMessages.cancelled(cancel.content()),
                    ThreadEvent.WorkflowCancelled.NAME, Map.of(SystemMessages.REASON, cancel.content()));
        }

        static Ending cancelled(String reason) {
            return new Ending(WorkflowStatus.CANCELLED, reason, null, SystemMessages.cancelled(reason),
                    ThreadEvent.WorkflowCancelled.NAME, Map.of(SystemMessages.REASON, reason));
        }

        static Ending redirected(long newWorkflowId, String task) {
            Map<String, Object> details = new HashMap<>();
            details.put(SystemMessages.NEW_WORKFLOW_ID, newWorkflowId);
            details.put(Message.NEW_TASK_DESCRIPTION, task);
            return new Ending(WorkflowStatus.REDIRECTED, task, newWorkflowId, SystemMessages.redirected(newWorkflowId),
                    ThreadEvent.WorkflowRedirected.NAME, details);
        }

        /** The pause ran out and the configuration says fail or cancel. */
        static Ending afterPause(WorkflowThreadConfig config) {
            String reason = SystemMessages.pausedTooLong(config.pauseTimeout());
            return config.pauseTimeoutOutcome() == PauseTimeoutOutcome.FAIL ? failed(reason)
                    : new Ending(WorkflowStatus.CANCELLED, reason, null, SystemMessages.cancelledAfterPause(reason),
                    ThreadEvent.WorkflowCancelled.NAME, Map.of(SystemMessages.REASON, reason));
        }
    }

    /**
     * Finishes the workflow: the control message that ends it (if any) is processed, every other
     * open user message is ignored (a cancel wins over everything still pending).
     *
     * @param control the cancel or redirect that ends it, or null when the service or the pause
     *                timeout does
     * @param owner   the guard that holds {@code control} under its lease: a redirect is held while
     *                the host's handler runs, a cancel is applied without one
     */
    static Commit finish(WorkflowState state, Ending ending, Message control, String owner, List<OpenMessage> open,
                         Instant now) {
        List<Resolution> resolutions = new ArrayList<>();
        if (control != null) {
            resolutions.add(control.actionType() == ActionType.REDIRECT
                    ? Resolution.ofClaimed(control.id(), owner, ActionStatus.PROCESSED)
                    : Resolution.ofOpen(control.id(), ActionStatus.PROCESSED));
        }
        for (OpenMessage other : open) {
            if (control == null || other.message().id() != control.id()) {
                resolutions.add(Resolution.ifOpen(other.message().id(), ActionStatus.IGNORED));
            }
        }
        return Commit.transition(state.workflowId(), state.version(),
                StateUpdate.of(state).finished(ending.status(), ending.reason(), ending.newWorkflowId()), resolutions,
                List.of(SystemMessages.stateMessage(ending.content(), ending.event(), control, now, ending.details())));
    }

    // ---- redirect ----

    /**
     * "Creating new workflow...", written while the workflow is still unfinished (compare-and-set
     * on its version), so that a cancel that won the race leaves no word of a redirect after it.
     */
    static Commit announceRedirect(WorkflowState state, Message redirect, Instant now) {
        return Commit.transition(state.workflowId(), state.version(), StateUpdate.of(state), List.of(),
                List.of(SystemMessages.system(SystemMessages.REDIRECT_CREATING,
                        Map.of(SystemMessages.SOURCE_MESSAGE_ID, redirect.id()), now)));
    }

    /** The host's handler failed: the redirect, held by {@code owner}, is ignored and the workflow goes on. */
    static Commit redirectFailed(Message redirect, String owner, String why, Instant now) {
        return new Commit(redirect.workflowId(), Commit.ANY_VERSION, null,
                List.of(Resolution.ofClaimed(redirect.id(), owner, ActionStatus.IGNORED)),
                List.of(SystemMessages.system(SystemMessages.redirectFailed(why),
                        Map.of(SystemMessages.SOURCE_MESSAGE_ID, redirect.id()), now)));
    }
}
