package dev.workflowthread;

/** No message has the given id. */
public class MessageNotFoundException extends WorkflowThreadException {
    private static final long serialVersionUID = 1L;

    private final long messageId;

    public MessageNotFoundException(long messageId) {
        super("no message with id " + messageId);
        this.messageId = messageId;
    }

    public long messageId() {
        return messageId;
    }
}
