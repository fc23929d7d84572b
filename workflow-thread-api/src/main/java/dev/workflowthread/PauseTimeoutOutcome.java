package dev.workflowthread;

/** What a paused checkpoint does when no resume arrives within the pause timeout. */
public enum PauseTimeoutOutcome {
    /** The workflow is cancelled and {@code check()} throws {@link WorkflowCancelledException}. The default. */
    CANCEL,
    /** The workflow fails and {@code check()} throws {@link WorkflowStoppedException} with status failed. */
    FAIL,
    /** The workflow resumes by itself and {@code check()} returns. */
    RESUME
}
