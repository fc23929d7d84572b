package dev.workflowthread;

/** The workflow was cancelled: by a person, or by a pause that timed out. */
public class WorkflowCancelledException extends WorkflowStoppedException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception, with status {@link WorkflowStatus#CANCELLED}.
     *
     * @param workflowId the cancelled workflow
     * @param reason     why, in the words of the person or of the library; may be null
     */
    public WorkflowCancelledException(long workflowId, String reason) {
        super(workflowId, WorkflowStatus.CANCELLED, reason);
    }
}
