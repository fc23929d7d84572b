package dev.workflowthread;

/**
 * The host's {@link SendPolicy} refused a person's message. Nothing was stored. A web host answers
 * it with 403 and {@link #reason()}; it records no stack trace (a refusal is an answer, not a
 * fault).
 */
public class SendRefusedException extends WorkflowThreadException {
    private static final long serialVersionUID = 1L;

    private final long workflowId;
    private final ActionType actionType;
    private final String author;
    private final String reason;

    public SendRefusedException(long workflowId, ActionType actionType, String author, String reason) {
        super(reason, null, false);
        this.workflowId = workflowId;
        this.actionType = actionType;
        this.author = author;
        this.reason = reason;
    }

    public long workflowId() {
        return workflowId;
    }

    /** What the refused message asked. */
    public ActionType actionType() {
        return actionType;
    }

    /** Who sent it (the request's author), or null when the request named nobody. */
    public String author() {
        return author;
    }

    /** The policy's reason, as it gave it. */
    public String reason() {
        return reason;
    }
}
