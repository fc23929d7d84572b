package dev.workflowthread;

/** The workflow was redirected: the host's {@link RedirectHandler} created the workflow that replaces it. */
public class WorkflowRedirectedException extends WorkflowStoppedException {
    private static final long serialVersionUID = 1L;

    /** The workflow that replaces the redirected one. */
    private final long newWorkflowId;

    /**
     * Creates the exception, with status {@link WorkflowStatus#REDIRECTED}.
     *
     * @param workflowId    the redirected workflow
     * @param newWorkflowId the workflow that replaces it
     * @param reason        why; a checkpoint gives the new task here; may be null
     */
    public WorkflowRedirectedException(long workflowId, long newWorkflowId, String reason) {
        super(workflowId, WorkflowStatus.REDIRECTED, reason);
        this.newWorkflowId = newWorkflowId;
    }

    /**
     * The workflow that carries on with the new task.
     *
     * @return its id, as the host's {@link RedirectHandler} returned it
     */
    public long newWorkflowId() {
        return newWorkflowId;
    }
}
