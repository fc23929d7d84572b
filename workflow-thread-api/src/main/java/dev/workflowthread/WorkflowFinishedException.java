package dev.workflowthread;

/**
 * A lifecycle call was made on a workflow that already finished, such as {@code complete} after a
 * cancel. Messages sent to a finished workflow are not rejected this way; they are stored as
 * {@link ActionStatus#IGNORED} and the {@link SendResult} says why.
 */
public class WorkflowFinishedException extends WorkflowThreadException {
    private static final long serialVersionUID = 1L;

    private final long workflowId;
    private final WorkflowStatus status;

    public WorkflowFinishedException(long workflowId, WorkflowStatus status) {
        super("workflow " + workflowId + " is already " + status.wireName());
        this.workflowId = workflowId;
        this.status = status;
    }

    public long workflowId() {
        return workflowId;
    }

    public WorkflowStatus status() {
        return status;
    }
}
