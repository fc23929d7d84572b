package dev.workflowthread;

/**
 * Thrown by {@link StopToken#throwIfStopRequested()}: the step in progress should end early. It
 * applies nothing; the agent loop's next {@link CheckpointGuard#check()} does.
 */
public class StopRequestedException extends WorkflowThreadException {
    private static final long serialVersionUID = 1L;

    /** Why the token fired. */
    private final transient StopReason reason;

    /**
     * Creates the exception.
     *
     * @param workflowId the workflow whose step should end
     * @param reason     why the token fired
     */
    public StopRequestedException(long workflowId, StopReason reason) {
        super("the step in progress of workflow " + workflowId + " should end early: " + reason.kind().name()
                .toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
                + (reason.messageId() == null ? "" : " (message " + reason.messageId() + ")"));
        this.reason = reason;
    }

    /**
     * Why the token fired.
     *
     * @return the reason
     */
    public StopReason reason() {
        return reason;
    }
}
