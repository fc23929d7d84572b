package dev.workflowthread;

/** The workflow has no thread: {@link WorkflowMessages#start(long)} was never called for it. */
public class WorkflowNotFoundException extends WorkflowThreadException {
    private static final long serialVersionUID = 1L;

    private final long workflowId;

    public WorkflowNotFoundException(long workflowId) {
        super("workflow " + workflowId + " has no thread; call start(" + workflowId + ") first");
        this.workflowId = workflowId;
    }

    public long workflowId() {
        return workflowId;
    }
}
