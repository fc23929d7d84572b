package dev.workflowthread;

/**
 * Why a {@link StopToken} fired.
 *
 * @param kind      what happened
 * @param messageId the person's message that fired it, or null when the workflow finished without
 *                  one this JVM saw (another checkpoint applied a cancel, a pause timed out)
 */
public record StopReason(Kind kind, Long messageId) {

    /** What fired a stop token. */
    public enum Kind {
        /** A cancel was sent. */
        CANCEL,
        /** A redirect was sent. */
        REDIRECT,
        /** An instruction or comment with {@code metadata.delivery = "interrupt"} arrived. */
        URGENT_MESSAGE,
        /** The workflow finished (cancelled, redirected, completed or failed). */
        WORKFLOW_FINISHED,
        /**
         * The {@link WorkflowMessages} was closed (the host shuts down): the step should end, and
         * its next {@code check()} throws.
         */
        SERVICE_CLOSED
    }

    /**
     * Checks the reason.
     *
     * @param kind what happened
     * @param messageId the message that fired it, or null
     * @throws NullPointerException when {@code kind} is null
     */
    public StopReason {
        java.util.Objects.requireNonNull(kind, "kind");
    }
}
