package dev.workflowthread;

/** The workflow was cancelled: by a person, or by a pause that timed out. */
public class WorkflowCancelledException extends WorkflowStoppedException {
    private static final long serialVersionUID = 1L;

    public WorkflowCancelledException(long workflowId, String reason) {
        super(workflowId, WorkflowStatus.CANCELLED, reason);
    }
}
