package dev.workflowthread;

/**
 * A lifecycle call was made on a workflow that already finished, such as {@code complete} after a
 * cancel. Messages sent to a finished workflow are not rejected this way; they are stored as
 * {@link ActionStatus#IGNORED} and the {@link SendResult} says why.
 */
public class WorkflowFinishedException extends WorkflowThreadException {
    private static final long serialVersionUID = 1L;

    /** The finished workflow. */
    private final long workflowId;
    /** How it finished. */
    private final WorkflowStatus status;

    /**
     * Creates the exception.
     *
     * @param workflowId the finished workflow
     * @param status     how it finished
     * @throws NullPointerException when {@code status} is null
     */
    public WorkflowFinishedException(long workflowId, WorkflowStatus status) {
        super("workflow " + workflowId + " is already " + status.wireName());
        this.workflowId = workflowId;
        this.status = status;
    }

    /**
     * The workflow the call was made on.
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
}
