package dev.workflowthread.spi;

import dev.workflowthread.WorkflowState;
import dev.workflowthread.WorkflowStatus;
import java.time.Instant;
import java.time.temporal.TemporalUnit;
import java.util.Objects;

/**
 * The new values of a workflow's state fields in a {@link Commit}. {@code lastSeq} and
 * {@code version} are the store's to maintain.
 */
public record StateUpdate(
        WorkflowStatus status,
        boolean paused,
        Instant pauseRequestedAt,
        String pauseReason,
        Instant pausedAt,
        Long redirectedTo,
        String statusReason) {

    public StateUpdate {
        Objects.requireNonNull(status, "status");
    }

    /** The fields of {@code state} as they are, to start a change from. */
    public static StateUpdate of(WorkflowState state) {
        return new StateUpdate(state.status(), state.paused(), state.pauseRequestedAt(), state.pauseReason(),
                state.pausedAt(), state.redirectedTo(), state.statusReason());
    }

    /**
     * The state a commit of this update leaves: {@code before}'s workflow with these fields,
     * {@code lastSeq} (the seq of the commit's newest message, or {@code before.lastSeq()} when it
     * appends none) and the next version. How every store builds the state it writes and reports;
     * a commit without an update leaves {@link WorkflowState#withLastSeq before.withLastSeq(lastSeq)}.
     */
    public WorkflowState applyTo(WorkflowState before, long lastSeq) {
        Objects.requireNonNull(before, "before");
        return new WorkflowState(before.workflowId(), status, paused, pauseRequestedAt, pauseReason, pausedAt,
                redirectedTo, statusReason, lastSeq, before.version() + 1);
    }

    /** This update with its times truncated to {@code unit}, for a store whose columns keep no finer time. */
    public StateUpdate truncatedTo(TemporalUnit unit) {
        return new StateUpdate(status, paused, truncate(pauseRequestedAt, unit), pauseReason, truncate(pausedAt, unit),
                redirectedTo, statusReason);
    }

    private static Instant truncate(Instant instant, TemporalUnit unit) {
        return instant == null ? null : instant.truncatedTo(unit);
    }

    /** Paused by a checkpoint at {@code at}. */
    public StateUpdate pausedAt(Instant at) {
        return new StateUpdate(dev.workflowthread.WorkflowStatus.PAUSED, true, pauseRequestedAt, pauseReason, at,
                redirectedTo, statusReason);
    }

    /** Running again; the pause request is kept or dropped as given. */
    public StateUpdate running(boolean keepPauseRequest) {
        return new StateUpdate(dev.workflowthread.WorkflowStatus.RUNNING, false,
                keepPauseRequest ? pauseRequestedAt : null, keepPauseRequest ? pauseReason : null, null,
                redirectedTo, statusReason);
    }

    /** A pause was requested (by a person) at {@code at}. */
    public StateUpdate pauseRequested(Instant at, String reason) {
        return new StateUpdate(status, paused, at, reason, pausedAt, redirectedTo, statusReason);
    }

    /** The pause request was withdrawn by an accepted resume. */
    public StateUpdate pauseRequestWithdrawn() {
        return new StateUpdate(status, paused, null, null, pausedAt, redirectedTo, statusReason);
    }

    /** Finished with {@code finalStatus}; no longer paused. */
    public StateUpdate finished(WorkflowStatus finalStatus, String reason, Long newWorkflowId) {
        if (!finalStatus.isFinished()) {
            throw new IllegalArgumentException("finalStatus must be a finished status, but was " + finalStatus);
        }
        return new StateUpdate(finalStatus, false, null, null, null, newWorkflowId, reason);
    }
}
