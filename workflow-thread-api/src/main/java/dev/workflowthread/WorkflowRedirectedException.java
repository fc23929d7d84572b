package dev.workflowthread;

/** The workflow was redirected: the host's {@link RedirectHandler} created the workflow that replaces it. */
public class WorkflowRedirectedException extends WorkflowStoppedException {
    private static final long serialVersionUID = 1L;

    private final long newWorkflowId;

    public WorkflowRedirectedException(long workflowId, long newWorkflowId, String reason) {
        super(workflowId, WorkflowStatus.REDIRECTED, reason);
        this.newWorkflowId = newWorkflowId;
    }

    /** The id of the workflow that carries on with the new task. */
    public long newWorkflowId() {
        return newWorkflowId;
    }
}
