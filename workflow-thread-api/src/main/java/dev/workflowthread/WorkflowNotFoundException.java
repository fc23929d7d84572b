package dev.workflowthread;

/** The workflow has no thread: {@link WorkflowMessages#start(long)} was never called for it. */
public class WorkflowNotFoundException extends WorkflowThreadException {
    private static final long serialVersionUID = 1L;

    /** The workflow without a thread. */
    private final long workflowId;

    /**
     * Creates the exception.
     *
     * @param workflowId the workflow without a thread
     */
    public WorkflowNotFoundException(long workflowId) {
        super("workflow " + workflowId + " has no thread; call start(" + workflowId + ") first");
        this.workflowId = workflowId;
    }

    /**
     * The workflow that has no thread.
     *
     * @return the host's workflow id
     */
    public long workflowId() {
        return workflowId;
    }
}
