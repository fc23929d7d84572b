package dev.workflowthread;

/**
 * The answer to sending a user message: the plan's {@code {messageId, actionTaken}}.
 *
 * @param messageId   the id of the stored message (a message is stored even when ignored)
 * @param seq         its place in the thread
 * @param actionTaken what sending did
 * @param reason      why it was ignored, or null
 */
public record SendResult(long messageId, long seq, ActionTaken actionTaken, String reason) {

    /** True when the message was stored as {@link ActionStatus#IGNORED}. */
    public boolean ignored() {
        return actionTaken == ActionTaken.IGNORED;
    }
}
