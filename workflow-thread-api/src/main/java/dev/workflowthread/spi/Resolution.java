package dev.workflowthread.spi;

import dev.workflowthread.ActionStatus;
import java.util.Objects;

/**
 * Part of a {@link Commit}: closes a user message as {@link ActionStatus#PROCESSED} or
 * {@link ActionStatus#IGNORED}.
 *
 * @param messageId  the message; it must belong to the commit's workflow
 * @param outcome    processed or ignored
 * @param leaseOwner when not null, the message must be {@link ActionStatus#ACKNOWLEDGED} by this
 *                   owner (its lease may have run out, but nobody else may have taken it since);
 *                   when null, it must be open (pending or acknowledged by anyone)
 * @param required   when true, a message that does not meet the condition makes the whole commit a
 *                   conflict; when false, such a message is left as it is
 */
public record Resolution(long messageId, ActionStatus outcome, String leaseOwner, boolean required) {

    /**
     * Checks the components.
     *
     * @param messageId  the message
     * @param outcome    processed or ignored
     * @param leaseOwner who must hold the message, or null for any open message
     * @param required   whether an unmet condition makes the commit a conflict
     * @throws NullPointerException     when {@code outcome} is null
     * @throws IllegalArgumentException when {@code outcome} is pending or acknowledged
     */
    public Resolution {
        Objects.requireNonNull(outcome, "outcome");
        if (outcome.isOpen()) {
            throw new IllegalArgumentException("outcome must be processed or ignored, but was " + outcome);
        }
    }

    /**
     * Closes a message this lease owner took; the message must still be held by
     * {@code leaseOwner}, else the commit is a conflict.
     *
     * @param messageId  the message
     * @param leaseOwner who took it
     * @param outcome    processed or ignored
     * @return the resolution, required
     * @throws NullPointerException     when {@code leaseOwner} or {@code outcome} is null
     * @throws IllegalArgumentException when {@code outcome} is pending or acknowledged
     */
    public static Resolution ofClaimed(long messageId, String leaseOwner, ActionStatus outcome) {
        return new Resolution(messageId, outcome, Objects.requireNonNull(leaseOwner, "leaseOwner"), true);
    }

    /**
     * Closes an open message, whoever holds it; the message must still be open, else the commit
     * is a conflict.
     *
     * @param messageId the message
     * @param outcome   processed or ignored
     * @return the resolution, required
     * @throws NullPointerException     when {@code outcome} is null
     * @throws IllegalArgumentException when {@code outcome} is pending or acknowledged
     */
    public static Resolution ofOpen(long messageId, ActionStatus outcome) {
        return new Resolution(messageId, outcome, null, true);
    }

    /**
     * Closes the message if it is still open; no conflict otherwise.
     *
     * @param messageId the message
     * @param outcome   processed or ignored
     * @return the resolution, not required
     * @throws NullPointerException     when {@code outcome} is null
     * @throws IllegalArgumentException when {@code outcome} is pending or acknowledged
     */
    public static Resolution ifOpen(long messageId, ActionStatus outcome) {
        return new Resolution(messageId, outcome, null, false);
    }
}
