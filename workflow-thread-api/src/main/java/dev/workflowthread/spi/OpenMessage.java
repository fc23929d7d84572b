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

    public OpenMessage {
        Objects.requireNonNull(message, "message");
    }

    public boolean isPending() {
        return message.actionStatus() == ActionStatus.PENDING;
    }

    /** True when acknowledged and its lease has not run out at {@code now}. */
    public boolean isLeasedAt(Instant now) {
        return message.actionStatus() == ActionStatus.ACKNOWLEDGED && leaseExpiresAt != null
                && leaseExpiresAt.isAfter(now);
    }
}
