package dev.workflowthread;

import java.time.Instant;
import java.util.Objects;

/**
 * The thread's view of one workflow: one row of the library's own state table (the host's
 * {@code workflows} table is never altered).
 *
 * @param workflowId       the host's workflow id
 * @param status           running, paused, or how it finished
 * @param paused           true while a checkpoint holds the workflow paused ({@code is_paused})
 * @param pauseRequestedAt set while the net effect of the person's pause and resume messages is
 *                         "paused": from the accepted pause until an accepted resume, or null
 * @param pauseReason      the person's words with the pause, or null
 * @param pausedAt         when the checkpoint paused, or null while not paused
 * @param redirectedTo     the workflow that replaced this one after a redirect, or null
 * @param statusReason     why the workflow finished (the cancel's reason, the failure), or null
 * @param lastSeq          the {@code seq} of the newest message, 0 for an empty thread
 * @param version          grows with every user message and every change of the fields above
 *                         (not with agent or system messages); stores compare-and-set on it
 */
public record WorkflowState(
        long workflowId,
        WorkflowStatus status,
        boolean paused,
        Instant pauseRequestedAt,
        String pauseReason,
        Instant pausedAt,
        Long redirectedTo,
        String statusReason,
        long lastSeq,
        long version) {

    /**
     * A state with the given fields.
     *
     * @param workflowId       the host's workflow id
     * @param status           running, paused, or how it finished
     * @param paused           true while a checkpoint holds the workflow paused
     * @param pauseRequestedAt when the pause in effect was requested, or null
     * @param pauseReason      the person's words with the pause, or null
     * @param pausedAt         when the checkpoint paused, or null
     * @param redirectedTo     the workflow that replaced this one, or null
     * @param statusReason     why the workflow finished, or null
     * @param lastSeq          the {@code seq} of the newest message, 0 for an empty thread
     * @param version          the state's version, for compare-and-set
     * @throws NullPointerException when {@code status} is null
     */
    public WorkflowState {
        Objects.requireNonNull(status, "status");
    }

    /**
     * The state of a workflow whose thread was just started: running, not paused, no messages,
     * version 0.
     *
     * @param workflowId the host's workflow id
     * @return the new state
     */
    public static WorkflowState started(long workflowId) {
        return new WorkflowState(workflowId, WorkflowStatus.RUNNING, false, null, null, null, null, null, 0, 0);
    }

    /**
     * This state with another {@code lastSeq} and the same version: what a commit that only
     * appends messages leaves.
     *
     * @param lastSeq the {@code seq} of the newest message
     * @return a copy with that {@code lastSeq}
     */
    public WorkflowState withLastSeq(long lastSeq) {
        return new WorkflowState(workflowId, status, paused, pauseRequestedAt, pauseReason, pausedAt, redirectedTo,
                statusReason, lastSeq, version);
    }

    /**
     * Whether the workflow will not run again.
     *
     * @return true when the status is cancelled, redirected, completed or failed
     */
    public boolean isFinished() {
        return status.isFinished();
    }

    /**
     * Whether a pause is in effect or requested, with no resume accepted since.
     *
     * @return true when {@code pauseRequestedAt} is set
     */
    public boolean isPauseRequested() {
        return pauseRequestedAt != null;
    }
}
