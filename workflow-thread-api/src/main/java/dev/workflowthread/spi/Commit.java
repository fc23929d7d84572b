package dev.workflowthread.spi;

import java.util.List;
import java.util.Objects;

/**
 * One atomic write to one workflow's thread: appends messages, closes user messages, and
 * optionally changes the workflow's state under compare-and-set. A store applies all of it or none
 * of it.
 *
 * @param workflowId      the workflow
 * @param expectedVersion the {@code version} the state must have for the commit to apply, or
 *                        {@link #ANY_VERSION} when the commit changes no state
 * @param stateUpdate     the new state fields, or null; when present the store sets
 *                        {@code version = expectedVersion + 1}
 * @param resolutions     user messages to close, see {@link Resolution}
 * @param messages        messages to append, given consecutive {@code seq}s in this order
 */
public record Commit(
        long workflowId,
        long expectedVersion,
        StateUpdate stateUpdate,
        List<Resolution> resolutions,
        List<NewMessage> messages) {

    /** The {@code expectedVersion} of a commit that changes no state: no compare-and-set. */
    public static final long ANY_VERSION = -1;

    /**
     * Checks and copies the components.
     *
     * @param workflowId      the workflow
     * @param expectedVersion the version the state must have, or {@link #ANY_VERSION}
     * @param stateUpdate     the new state fields, or null
     * @param resolutions     user messages to close, copied
     * @param messages        messages to append, copied
     * @throws NullPointerException     when {@code resolutions} or {@code messages} is null or holds null
     * @throws IllegalArgumentException when a state update comes without an expected version or
     *                                  the other way round, when the commit changes nothing, or
     *                                  when two of its messages have one idempotency key
     */
    public Commit {
        resolutions = List.copyOf(resolutions);
        messages = List.copyOf(messages);
        if ((stateUpdate == null) != (expectedVersion == ANY_VERSION)) {
            throw new IllegalArgumentException(
                    "a state update needs an expectedVersion, and an expectedVersion needs a state update");
        }
        if (stateUpdate == null && resolutions.isEmpty() && messages.isEmpty()) {
            throw new IllegalArgumentException("a commit must change something");
        }
        java.util.Set<String> keys = new java.util.HashSet<>();
        for (NewMessage message : messages) {
            if (message.idempotencyKey() != null && !keys.add(message.idempotencyKey())) {
                throw new IllegalArgumentException("two messages of one commit have the idempotency key "
                        + message.idempotencyKey());
            }
        }
    }

    /**
     * Appends messages without touching the state.
     *
     * @param workflowId the workflow
     * @param messages   the messages, at least one
     * @return the commit
     * @throws IllegalArgumentException when there is no message, or two have one idempotency key
     */
    public static Commit append(long workflowId, NewMessage... messages) {
        return new Commit(workflowId, ANY_VERSION, null, List.of(), List.of(messages));
    }

    /**
     * A compare-and-set of the state together with resolutions and appended messages.
     *
     * @param workflowId      the workflow
     * @param expectedVersion the version the state must have for the commit to apply
     * @param update          the new state fields
     * @param resolutions     user messages to close
     * @param messages        messages to append
     * @return the commit
     * @throws NullPointerException     when {@code update}, {@code resolutions} or {@code messages} is null
     * @throws IllegalArgumentException when {@code expectedVersion} is {@link #ANY_VERSION}, or two
     *                                  messages have one idempotency key
     */
    public static Commit transition(long workflowId, long expectedVersion, StateUpdate update,
                                    List<Resolution> resolutions, List<NewMessage> messages) {
        return new Commit(workflowId, expectedVersion, Objects.requireNonNull(update, "update"), resolutions, messages);
    }

    /**
     * Whether this commit changes the state.
     *
     * @return true when it has a state update, and so bumps the version
     */
    public boolean changesState() {
        return stateUpdate != null;
    }
}
