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

    /**
     * The name used in JSON and in storage.
     *
     * @return the constant's name in lower case, e.g. {@code "pending"}
     */
    public String wireName() {
        return wireName;
    }

    /**
     * Whether the message is still open: it still waits for a checkpoint, or for the agent's reply.
     *
     * @return true for {@link #PENDING} and {@link #ACKNOWLEDGED}, false for the final statuses
     */
    public boolean isOpen() {
        return this == PENDING || this == ACKNOWLEDGED;
    }

    /**
     * Parses a wire name. It matches exactly: {@code "PENDING"} is not a wire name.
     *
     * @param value the wire name, e.g. {@code "pending"}
     * @return the status with that wire name
     * @throws InvalidMessageException naming {@code action_status}: {@link InvalidMessageException.Reason#MISSING}
     *                                 when {@code value} is null, {@link InvalidMessageException.Reason#UNKNOWN_VALUE}
     *                                 when it is no status's wire name
     */
    public static ActionStatus fromWire(String value) {
        return WireNames.parse(ActionStatus.class, values(), value, "action_status");
    }
}
