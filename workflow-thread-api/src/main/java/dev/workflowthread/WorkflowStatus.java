package dev.workflowthread;

/** The state of a workflow as its thread sees it. */
public enum WorkflowStatus {
    /** Started and not held paused (a pause may be requested, for the next checkpoint to apply). */
    RUNNING,
    /** A checkpoint holds the agent loop until a resume, a cancel, a redirect or the pause timeout. */
    PAUSED,
    /** Stopped by a person's cancel, or by a pause that timed out with {@link PauseTimeoutOutcome#CANCEL}. Final. */
    CANCELLED,
    /** Replaced by a new workflow that the host's {@link RedirectHandler} created. Final. */
    REDIRECTED,
    /** Completed by the host ({@link WorkflowMessages#complete}). Final. */
    COMPLETED,
    /**
     * Failed: by the host ({@link WorkflowMessages#fail}), or by a pause that timed out with
     * {@link PauseTimeoutOutcome#FAIL}. Final.
     */
    FAILED;

    private final String wireName = WireNames.wireName(this);

    /**
     * The name used in JSON and in storage.
     *
     * @return the constant's name in lower case, e.g. {@code "running"}
     */
    public String wireName() {
        return wireName;
    }

    /**
     * Whether the workflow will not run again.
     *
     * @return true for cancelled, redirected, completed and failed; false for running and paused
     */
    public boolean isFinished() {
        return this != RUNNING && this != PAUSED;
    }

    /**
     * Parses a wire name. It matches exactly: {@code "RUNNING"} is not a wire name.
     *
     * @param value the wire name, e.g. {@code "running"}
     * @return the status with that wire name
     * @throws InvalidMessageException naming {@code status}: {@link InvalidMessageException.Reason#MISSING}
     *                                 when {@code value} is null, {@link InvalidMessageException.Reason#UNKNOWN_VALUE}
     *                                 when it is no status's wire name
     */
    public static WorkflowStatus fromWire(String value) {
        return WireNames.parse(WorkflowStatus.class, values(), value, "status");
    }
}
