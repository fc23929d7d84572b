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

    /**
     * The name used in JSON and in storage.
     *
     * @return the constant's name in lower case, e.g. {@code "user"}
     */
    public String wireName() {
        return wireName;
    }

    /**
     * Parses a wire name. It matches exactly: {@code "USER"} is not a wire name.
     *
     * @param value the wire name, e.g. {@code "user"}
     * @return the message type with that wire name
     * @throws InvalidMessageException naming {@code message_type}: {@link InvalidMessageException.Reason#MISSING}
     *                                 when {@code value} is null, {@link InvalidMessageException.Reason#UNKNOWN_VALUE}
     *                                 when it is no message type's wire name
     */
    public static MessageType fromWire(String value) {
        return WireNames.parse(MessageType.class, values(), value, "message_type");
    }
}
