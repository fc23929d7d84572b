package dev.workflowthread;

/**
 * Thrown by {@link CheckpointGuard#check()} when the workflow must not go on: the agent loop ends
 * here. It is unchecked so that it travels through the agent's code to the orchestrator, and
 * cheap: it records no stack trace.
 *
 * <p>Subclasses say why: {@link WorkflowCancelledException}, {@link WorkflowRedirectedException}.
 * This class itself is thrown when the workflow finished in another way (completed or failed,
 * for instance by a pause that timed out with {@link PauseTimeoutOutcome#FAIL}).
 */
public class WorkflowStoppedException extends WorkflowThreadException {
    private static final long serialVersionUID = 1L;

    /** The workflow that must not go on. */
    private final long workflowId;
    /** Its final status. */
    private final WorkflowStatus status;
    /** Why it stopped, or null. */
    private final String reason;

    /**
     * Creates the exception; it records no stack trace.
     *
     * @param workflowId the workflow that must not go on
     * @param status     its final status
     * @param reason     why, in the words of the person or of the library; may be null
     * @throws NullPointerException when {@code status} is null
     */
    public WorkflowStoppedException(long workflowId, WorkflowStatus status, String reason) {
        super("workflow " + workflowId + " is " + status.wireName() + (reason == null ? "" : ": " + reason),
                null, false);
        this.workflowId = workflowId;
        this.status = status;
        this.reason = reason;
    }

    /**
     * The workflow that must not go on.
     *
     * @return the host's workflow id
     */
    public long workflowId() {
        return workflowId;
    }

    /**
     * How the workflow finished.
     *
     * @return its final status
     */
    public WorkflowStatus status() {
        return status;
    }

    /**
     * Why the workflow stopped.
     *
     * @return the reason in the words of the person or of the library, or null
     */
    public String reason() {
        return reason;
    }
}
