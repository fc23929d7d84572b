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

    /** The lower-case name used in JSON and in storage, e.g. {@code "pause"}. */
    public String wireName() {
        return wireName;
    }

    /** True for the actions that change the workflow's state: pause, resume, cancel, redirect. */
    public boolean isControl() {
        return this != COMMENT && this != INSTRUCTION;
    }

    /** True for cancel and redirect, after which the workflow does not run again. */
    public boolean isTerminal() {
        return this == CANCEL || this == REDIRECT;
    }

    /**
     * Parses a wire name.
     *
     * @throws InvalidMessageException naming {@code action_type} when the value is unknown
     */
    public static ActionType fromWire(String value) {
        return WireNames.parse(ActionType.class, values(), value, "action_type");
    }
}
