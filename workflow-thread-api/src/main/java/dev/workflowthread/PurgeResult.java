package dev.workflowthread;

/**
 * What a purge of finished threads deleted: see {@link WorkflowMessages#purgeFinished(java.time.Duration)}.
 *
 * @param workflows the workflows whose thread is gone entirely (state and every message)
 * @param messages  the messages deleted, including those of workflows whose thread is not gone yet
 *                  (a batch may stop in the middle of a long thread)
 */
public record PurgeResult(long workflows, long messages) {
    /** Nothing deleted. */
    public static final PurgeResult NONE = new PurgeResult(0, 0);

    /**
     * A result with the given counts.
     *
     * @param workflows the workflows whose thread is gone entirely
     * @param messages  the messages deleted
     * @throws IllegalArgumentException when either count is negative
     */
    public PurgeResult {
        if (workflows < 0 || messages < 0) {
            throw new IllegalArgumentException("workflows and messages must not be negative, but were "
                    + workflows + " and " + messages);
        }
    }

    /**
     * Adds two results, as of two batches.
     *
     * @param other the result to add
     * @return a result whose counts are the sums of both
     */
    public PurgeResult plus(PurgeResult other) {
        return new PurgeResult(workflows + other.workflows, messages + other.messages);
    }

    /**
     * Whether nothing was deleted.
     *
     * @return true when both counts are 0
     */
    public boolean isEmpty() {
        return workflows == 0 && messages == 0;
    }
}
