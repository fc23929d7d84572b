package dev.workflowthread.spi;

import dev.workflowthread.WorkflowState;
import dev.workflowthread.WorkflowStatus;
import java.time.Instant;
import java.time.temporal.TemporalUnit;
import java.util.Objects;

/**
 * The new values of a workflow's state fields in a {@link Commit}. {@code lastSeq} and
 * {@code version} are the store's to maintain. The fields mean what they mean in
 * {@link WorkflowState}.
 *
 * @param status           running, paused, or how it finished
 * @param paused           true while a checkpoint holds the workflow paused
 * @param pauseRequestedAt when the pause in effect was requested, or null
 * @param pauseReason      the person's words with the pause, or null
 * @param pausedAt         when the checkpoint paused, or null
 * @param redirectedTo     the workflow that replaced this one, or null
 * @param statusReason     why the workflow finished, or null
 */
public record StateUpdate(
        WorkflowStatus status,
        boolean paused,
        Instant pauseRequestedAt,
        String pauseReason,
        Instant pausedAt,
        Long redirectedTo,
        String statusReason) {

    /**
     * Checks the components.
     *
     * @param status           running, paused, or how it finished
     * @param paused           true while a checkpoint holds the workflow paused
     * @param pauseRequestedAt when the pause in effect was requested, or null
     * @param pauseReason      the person's words with the pause, or null
     * @param pausedAt         when the checkpoint paused, or null
     * @param redirectedTo     the workflow that replaced this one, or null
     * @param statusReason     why the workflow finished, or null
     * @throws NullPointerException when {@code status} is null
     */
    public StateUpdate {
        Objects.requireNonNull(status, "status");
    }

    /**
     * The fields of {@code state} as they are, to start a change from.
     *
     * @param state the state to copy
     * @return an update that changes nothing
     */
    public static StateUpdate of(WorkflowState state) {
        return new StateUpdate(state.status(), state.paused(), state.pauseRequestedAt(), state.pauseReason(),
                state.pausedAt(), state.redirectedTo(), state.statusReason());
    }

    /**
     * The state a commit of this update leaves: {@code before}'s workflow with these fields,
     * {@code lastSeq} (the seq of the commit's newest message, or {@code before.lastSeq()} when it
     * appends none) and the next version. How every store builds the state it writes and reports;
     * a commit without an update leaves {@link WorkflowState#withLastSeq before.withLastSeq(lastSeq)}.
     *
     * @param before  the state the commit applies to
     * @param lastSeq the {@code seq} of the workflow's newest message after the commit
     * @return the state after the commit, with version {@code before.version() + 1}
     * @throws NullPointerException when {@code before} is null
     */
    public WorkflowState applyTo(WorkflowState before, long lastSeq) {
        Objects.requireNonNull(before, "before");
        return new WorkflowState(before.workflowId(), status, paused, pauseRequestedAt, pauseReason, pausedAt,
                redirectedTo, statusReason, lastSeq, before.version() + 1);
    }

    /**
     * This update with its times truncated, for a store whose columns keep no finer time.
     *
     * @param unit the finest unit the store keeps, e.g. {@code ChronoUnit.MILLIS}
     * @return a copy with {@code pauseRequestedAt} and {@code pausedAt} truncated to {@code unit}
     */
    public StateUpdate truncatedTo(TemporalUnit unit) {
        return new StateUpdate(status, paused, truncate(pauseRequestedAt, unit), pauseReason, truncate(pausedAt, unit),
                redirectedTo, statusReason);
    }

    private static Instant truncate(Instant instant, TemporalUnit unit) {
        return instant == null ? null : instant.truncatedTo(unit);
    }

    /**
     * Paused by a checkpoint; the pause request is kept.
     *
     * @param at when the checkpoint paused
     * @return a copy with status paused, {@code paused} true and {@code pausedAt} = {@code at}
     */
    public StateUpdate pausedAt(Instant at) {
        return new StateUpdate(dev.workflowthread.WorkflowStatus.PAUSED, true, pauseRequestedAt, pauseReason, at,
                redirectedTo, statusReason);
    }

    /**
     * Running again, no longer paused.
     *
     * @param keepPauseRequest true to keep {@code pauseRequestedAt} and {@code pauseReason}, false
     *                         to clear them
     * @return a copy with status running, {@code paused} false and no {@code pausedAt}
     */
    public StateUpdate running(boolean keepPauseRequest) {
        return new StateUpdate(dev.workflowthread.WorkflowStatus.RUNNING, false,
                keepPauseRequest ? pauseRequestedAt : null, keepPauseRequest ? pauseReason : null, null,
                redirectedTo, statusReason);
    }

    /**
     * A pause was requested by a person.
     *
     * @param at     when the pause was requested
     * @param reason the person's words with the pause, or null
     * @return a copy with {@code pauseRequestedAt} and {@code pauseReason} set
     */
    public StateUpdate pauseRequested(Instant at, String reason) {
        return new StateUpdate(status, paused, at, reason, pausedAt, redirectedTo, statusReason);
    }

    /**
     * The pause request was withdrawn by an accepted resume.
     *
     * @return a copy without {@code pauseRequestedAt} and {@code pauseReason}; status and
     *         {@code paused} unchanged
     */
    public StateUpdate pauseRequestWithdrawn() {
        return new StateUpdate(status, paused, null, null, pausedAt, redirectedTo, statusReason);
    }

    /**
     * Finished; no longer paused, no pause requested.
     *
     * @param finalStatus   cancelled, redirected, completed or failed
     * @param reason        why, kept as {@code statusReason}, or null
     * @param newWorkflowId the workflow that replaces this one after a redirect, or null
     * @return an update with status {@code finalStatus}
     * @throws IllegalArgumentException when {@code finalStatus} is not a finished status
     */
    public StateUpdate finished(WorkflowStatus finalStatus, String reason, Long newWorkflowId) {
        if (!finalStatus.isFinished()) {
            throw new IllegalArgumentException("finalStatus must be a finished status, but was " + finalStatus);
        }
        return new StateUpdate(finalStatus, false, null, null, null, newWorkflowId, reason);
    }
}
