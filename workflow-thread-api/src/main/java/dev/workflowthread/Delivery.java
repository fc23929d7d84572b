package dev.workflowthread;

/**
 * How a person's instruction or comment reaches an agent that is busy with a step: its
 * {@code metadata.delivery} ({@link Message#DELIVERY}).
 */
public enum Delivery {
    /** At the agent's next {@link CheckpointGuard#check()}: the default. */
    NEXT_STEP,
    /**
     * Fires the step's {@link StopToken}, so the step in progress may end early; the next
     * {@code check()} hands the message over. The thread says the agent is being interrupted.
     */
    INTERRUPT,
    /**
     * Held until the current agent completes: handed over at the first {@code check()} after
     * {@link CheckpointGuard#agentCompleted}.
     */
    NEXT_AGENT;

    private final String wireName = WireNames.wireName(this);

    /**
     * The name used in JSON and in storage.
     *
     * @return {@code "next_step"}, {@code "interrupt"} or {@code "next_agent"}
     */
    public String wireName() {
        return wireName;
    }

    /**
     * Parses a wire name.
     *
     * @param value the wire name
     * @return the delivery
     * @throws InvalidMessageException naming {@code metadata.delivery} when the value is unknown
     */
    public static Delivery fromWire(String value) {
        return WireNames.parse(Delivery.class, values(), value, "metadata." + Message.DELIVERY);
    }

    /**
     * The delivery a message asks for.
     *
     * @param message a stored message
     * @return its {@code metadata.delivery}, or {@link #NEXT_STEP} when it has none (or an unknown
     *         one, which a send refuses, so only a message stored by other means has it)
     */
    public static Delivery of(Message message) {
        String value = message.metadataString(Message.DELIVERY);
        if (value == null) {
            return NEXT_STEP;
        }
        for (Delivery delivery : values()) {
            if (delivery.wireName.equals(value)) {
                return delivery;
            }
        }
        return NEXT_STEP;
    }
}
