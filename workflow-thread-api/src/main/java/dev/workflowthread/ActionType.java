package dev.workflowthread;

/**
 * What a message asks of the workflow. Agent and system messages are always {@link #COMMENT}s.
 */
public enum ActionType {
    /** A remark; handed to the agent at its next checkpoint as context. */
    COMMENT,
    /** An instruction; handed to the agent at its next checkpoint, which replies to acknowledge it. */
    INSTRUCTION,
    /** Pause at the next checkpoint. */
    PAUSE,
    /** Resume a paused (or pause-requested) workflow. */
    RESUME,
    /** Stop the workflow at the next checkpoint, or at once when it is paused. */
    CANCEL,
    /** Stop the workflow and let the host's redirect handler start a new one with a new task. */
    REDIRECT;

    private final String wireName = WireNames.wireName(this);

    /**
     * The name used in JSON and in storage.
     *
     * @return the constant's name in lower case, e.g. {@code "pause"}
     */
    public String wireName() {
        return wireName;
    }

    /**
     * Whether this action changes the workflow's state.
     *
     * @return true for pause, resume, cancel and redirect; false for comment and instruction
     */
    public boolean isControl() {
        return this != COMMENT && this != INSTRUCTION;
    }

    /**
     * Whether this action ends the workflow.
     *
     * @return true for cancel and redirect, after which the workflow does not run again
     */
    public boolean isTerminal() {
        return this == CANCEL || this == REDIRECT;
    }

    /**
     * Parses a wire name. It matches exactly: {@code "PAUSE"} is not a wire name.
     *
     * @param value the wire name, e.g. {@code "pause"}
     * @return the action with that wire name
     * @throws InvalidMessageException naming {@code action_type}: {@link InvalidMessageException.Reason#MISSING}
     *                                 when {@code value} is null, {@link InvalidMessageException.Reason#UNKNOWN_VALUE}
     *                                 when it is no action's wire name
     */
    public static ActionType fromWire(String value) {
        return WireNames.parse(ActionType.class, values(), value, "action_type");
    }
}
