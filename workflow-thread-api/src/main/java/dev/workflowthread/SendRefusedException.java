package dev.workflowthread;

/**
 * The host's {@link SendPolicy} refused a person's message. Nothing was stored. A web host answers
 * it with 403 and {@link #reason()}; it records no stack trace (a refusal is an answer, not a
 * fault).
 */
public class SendRefusedException extends WorkflowThreadException {
    private static final long serialVersionUID = 1L;

    /** The workflow the message was sent to. */
    private final long workflowId;
    /** What the refused message asked. */
    private final ActionType actionType;
    /** Who sent it, or null. */
    private final String author;
    /** The policy's reason. */
    private final String reason;

    /**
     * Creates the exception; its message is {@code reason}.
     *
     * @param workflowId the workflow the message was sent to
     * @param actionType what the refused message asked
     * @param author     who sent it, or null
     * @param reason     the policy's reason
     */
    public SendRefusedException(long workflowId, ActionType actionType, String author, String reason) {
        super(reason, null, false);
        this.workflowId = workflowId;
        this.actionType = actionType;
        this.author = author;
        this.reason = reason;
    }

    /**
     * The workflow the message was sent to.
     *
     * @return the host's workflow id
     */
    public long workflowId() {
        return workflowId;
    }

    /**
     * What the refused message asked.
     *
     * @return the request's action type
     */
    public ActionType actionType() {
        return actionType;
    }

    /**
     * Who sent it.
     *
     * @return the request's author, or null when the request named nobody
     */
    public String author() {
        return author;
    }

    /**
     * Why the policy refused the message.
     *
     * @return the policy's reason, as it gave it
     */
    public String reason() {
        return reason;
    }
}
