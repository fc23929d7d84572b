package dev.workflowthread;

/**
 * Where a user message is in its life: {@code pending → acknowledged → processed | ignored}.
 * Agent and system messages are stored as {@link #PROCESSED}.
 */
public enum ActionStatus {
    /** Stored, not yet taken by a checkpoint. */
    PENDING,
    /** Taken by a checkpoint under a lease; being applied, or handed to the agent and awaiting its reply. */
    ACKNOWLEDGED,
    /** Applied, or handed over and answered. Final. */
    PROCESSED,
    /** Not applicable (already in that state, workflow finished, superseded by a cancel). Final. */
    IGNORED;

    private final String wireName = WireNames.wireName(this);

    /** The lower-case name used in JSON and in storage, e.g. {@code "pending"}. */
    public String wireName() {
        return wireName;
    }

    /** True for {@link #PENDING} and {@link #ACKNOWLEDGED}: the message still waits for a checkpoint. */
    public boolean isOpen() {
        return this == PENDING || this == ACKNOWLEDGED;
    }

    /**
     * Parses a wire name.
     *
     * @throws InvalidMessageException naming {@code action_status} when the value is unknown
     */
    public static ActionStatus fromWire(String value) {
        return WireNames.parse(ActionStatus.class, values(), value, "action_status");
    }
}
