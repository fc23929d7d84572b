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

    public WorkflowState {
        Objects.requireNonNull(status, "status");
    }

    /** The state of a workflow whose thread was just started. */
    public static WorkflowState started(long workflowId) {
        return new WorkflowState(workflowId, WorkflowStatus.RUNNING, false, null, null, null, null, null, 0, 0);
    }

    /** This state with another {@code lastSeq}, the same version: what a commit that only appends leaves. */
    public WorkflowState withLastSeq(long lastSeq) {
        return new WorkflowState(workflowId, status, paused, pauseRequestedAt, pauseReason, pausedAt, redirectedTo,
                statusReason, lastSeq, version);
    }

    /** True once the workflow will not run again. */
    public boolean isFinished() {
        return status.isFinished();
    }

    /** True when a pause is in effect or requested and no resume has been accepted since. */
    public boolean isPauseRequested() {
        return pauseRequestedAt != null;
    }
}
