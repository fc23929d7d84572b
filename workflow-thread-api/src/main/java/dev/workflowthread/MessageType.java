package dev.workflowthread;

/** Who wrote a message into a workflow's thread. */
public enum MessageType {
    /** A person, through the host's web app. */
    USER,
    /** An agent narrating what it does. */
    AGENT,
    /** The library or the orchestrator reporting a change of the workflow's state. */
    SYSTEM;

    private final String wireName = WireNames.wireName(this);

    /** The lower-case name used in JSON and in storage, e.g. {@code "user"}. */
    public String wireName() {
        return wireName;
    }

    /**
     * Parses a wire name.
     *
     * @throws InvalidMessageException naming {@code message_type} when the value is unknown
     */
    public static MessageType fromWire(String value) {
        return WireNames.parse(MessageType.class, values(), value, "message_type");
    }
}
