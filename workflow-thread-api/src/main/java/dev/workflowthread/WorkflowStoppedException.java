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

    private final long workflowId;
    private final WorkflowStatus status;
    private final String reason;

    public WorkflowStoppedException(long workflowId, WorkflowStatus status, String reason) {
        super("workflow " + workflowId + " is " + status.wireName() + (reason == null ? "" : ": " + reason),
                null, false);
        this.workflowId = workflowId;
        this.status = status;
        this.reason = reason;
    }

    public long workflowId() {
        return workflowId;
    }

    /** The workflow's final status. */
    public WorkflowStatus status() {
        return status;
    }

    /** Why, in the words of the person or of the library; may be null. */
    public String reason() {
        return reason;
    }
}
