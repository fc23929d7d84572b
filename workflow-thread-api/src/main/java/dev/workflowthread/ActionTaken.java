package dev.workflowthread;

/** What sending a user message did, as reported in {@link SendResult#actionTaken()}. */
public enum ActionTaken {
    /** A comment was stored; a running workflow's agent gets it at its next checkpoint. */
    COMMENT_ADDED,
    /** An instruction was stored; the agent gets it at its next checkpoint and replies. */
    INSTRUCTION_QUEUED,
    /** The workflow pauses at its next checkpoint. */
    PAUSE_REQUESTED,
    /** The workflow resumes (a waiting checkpoint wakes). */
    RESUME_REQUESTED,
    /** The workflow stops at its next checkpoint, or at once if paused. */
    CANCEL_REQUESTED,
    /** The workflow is replaced by a new one at its next checkpoint. */
    REDIRECT_REQUESTED,
    /** Stored as {@link ActionStatus#IGNORED}; {@link SendResult#reason()} says why. */
    IGNORED;

    private final String wireName = WireNames.wireName(this);

    /**
     * The name used in JSON ({@code actionTaken} of a send's answer).
     *
     * @return the constant's name in lower case, e.g. {@code "pause_requested"}
     */
    public String wireName() {
        return wireName;
    }
}
