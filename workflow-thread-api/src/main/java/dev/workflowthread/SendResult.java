package dev.workflowthread;

import java.util.Objects;

/**
 * The answer to sending a person's message: which message it became, what sending did, and the
 * workflow's state it left, so that a host answers without reading the state again. On the wire
 * ({@link dev.workflowthread.json.WireFormat#sendResult}) it is {@code {messageId, seq, actionTaken, reason}}.
 *
 * @param messageId    the id of the stored message (a message is stored even when ignored)
 * @param seq          its place in the thread
 * @param actionTaken  what sending did
 * @param reason       why it was ignored, or null
 * @param actionStatus the stored message's status: {@link ActionStatus#PENDING} while it waits
 *                     for a checkpoint, {@link ActionStatus#PROCESSED} when sending alone did all
 *                     there was to do (a comment on a finished workflow), {@link ActionStatus#IGNORED}
 *                     when it has no effect; for a send replayed under its idempotency key, the
 *                     status the stored message has now
 * @param state        the workflow's state with the message stored (its {@code lastSeq} is at
 *                     least {@code seq}): a {@link WorkflowState#isFinished() finished} state with
 *                     {@link ActionTaken#IGNORED} means the workflow had finished; for a replayed
 *                     send, the state as the store read it with the replay
 */
public record SendResult(long messageId, long seq, ActionTaken actionTaken, String reason,
                         ActionStatus actionStatus, WorkflowState state) {

    /**
     * Checks the components.
     *
     * @param messageId    the id of the stored message
     * @param seq          its place in the thread
     * @param actionTaken  what sending did
     * @param reason       why it was ignored, or null
     * @param actionStatus the stored message's status
     * @param state        the workflow's state with the message stored
     * @throws NullPointerException when {@code actionTaken}, {@code actionStatus} or {@code state} is null
     */
    public SendResult {
        Objects.requireNonNull(actionTaken, "actionTaken");
        Objects.requireNonNull(actionStatus, "actionStatus");
        Objects.requireNonNull(state, "state");
    }

    /**
     * Whether the message was stored without effect.
     *
     * @return true when the message was stored as {@link ActionStatus#IGNORED}
     */
    public boolean ignored() {
        return actionTaken == ActionTaken.IGNORED;
    }
}
