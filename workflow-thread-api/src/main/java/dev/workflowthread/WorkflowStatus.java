package dev.workflowthread;

/** The state of a workflow as its thread sees it. */
public enum WorkflowStatus {
    RUNNING,
    PAUSED,
    CANCELLED,
    REDIRECTED,
    COMPLETED,
    FAILED;

    private final String wireName = WireNames.wireName(this);

    /** The lower-case name used in JSON and in storage, e.g. {@code "running"}. */
    public String wireName() {
        return wireName;
    }

    /** True once the workflow will not run again: cancelled, redirected, completed or failed. */
    public boolean isFinished() {
        return this != RUNNING && this != PAUSED;
    }

    /**
     * Parses a wire name.
     *
     * @throws InvalidMessageException naming {@code status} when the value is unknown
     */
    public static WorkflowStatus fromWire(String value) {
        return WireNames.parse(WorkflowStatus.class, values(), value, "status");
    }
}
