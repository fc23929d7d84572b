package dev.workflowthread;

import java.time.Instant;

/**
 * A person's answer to an agent's question, as {@link CheckpointGuard#ask} returns it, or the
 * default answer the caller chose for a question nobody answered in time.
 *
 * @param text       the answer: the chosen option, the person's words, or the default
 * @param choice     the option chosen ({@code metadata.choice} of the answer), or null for free text
 * @param author     who answered, or null for a default answer
 * @param answeredAt when the answer was stored, or when the deadline passed for a default answer
 * @param messageId  the person's answering message, or null for a default answer
 * @param timedOut   true when nobody answered before the deadline and this is the default
 */
public record Answer(String text, String choice, String author, Instant answeredAt, Long messageId, boolean timedOut) {

    /**
     * Checks the answer.
     *
     * @param text the answer
     * @param choice the option chosen, or null
     * @param author who answered, or null
     * @param answeredAt when
     * @param messageId the answering message, or null
     * @param timedOut whether this is the default answer
     * @throws NullPointerException when {@code text} or {@code answeredAt} is null
     */
    public Answer {
        java.util.Objects.requireNonNull(text, "text");
        java.util.Objects.requireNonNull(answeredAt, "answeredAt");
    }
}
