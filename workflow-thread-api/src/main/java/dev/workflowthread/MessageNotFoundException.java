package dev.workflowthread;

/** No message has the given id. */
public class MessageNotFoundException extends WorkflowThreadException {
    private static final long serialVersionUID = 1L;

    /** The id no message has. */
    private final long messageId;

    /**
     * Creates the exception.
     *
     * @param messageId the id no message has
     */
    public MessageNotFoundException(long messageId) {
        super("no message with id " + messageId);
        this.messageId = messageId;
    }

    /**
     * The id that was looked up.
     *
     * @return the id no message has
     */
    public long messageId() {
        return messageId;
    }
}
