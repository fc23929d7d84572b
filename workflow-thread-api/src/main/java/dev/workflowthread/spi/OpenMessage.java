package dev.workflowthread.spi;

import dev.workflowthread.ActionStatus;
import dev.workflowthread.Message;
import java.time.Instant;
import java.util.Objects;

/**
 * A user message that is still open (pending or acknowledged), with its lease.
 *
 * @param message        the message
 * @param leaseOwner     who acknowledged it, or null while pending
 * @param leaseExpiresAt until when that owner holds it, or null while pending
 */
public record OpenMessage(Message message, String leaseOwner, Instant leaseExpiresAt) {

    /**
     * Checks the components.
     *
     * @param message        the message
     * @param leaseOwner     who acknowledged it, or null while pending
     * @param leaseExpiresAt until when that owner holds it, or null while pending
     * @throws NullPointerException when {@code message} is null
     */
    public OpenMessage {
        Objects.requireNonNull(message, "message");
    }

    /**
     * Whether no checkpoint has taken the message yet.
     *
     * @return true when the message is {@link ActionStatus#PENDING}
     */
    public boolean isPending() {
        return message.actionStatus() == ActionStatus.PENDING;
    }

    /**
     * Whether a checkpoint holds the message at a given time.
     *
     * @param now the time to judge at
     * @return true when the message is acknowledged and its lease runs out after {@code now}
     */
    public boolean isLeasedAt(Instant now) {
        return message.actionStatus() == ActionStatus.ACKNOWLEDGED && leaseExpiresAt != null
                && leaseExpiresAt.isAfter(now);
    }
}
