package dev.workflowthread;

import java.util.List;
import java.util.Optional;

/**
 * What {@link CheckpointGuard#check()} hands the agent: the person's comments and instructions
 * that arrived since the last checkpoint, in {@code seq} order.
 *
 * <p>Comments are {@link ActionStatus#PROCESSED} once handed over. Instructions stay
 * {@link ActionStatus#ACKNOWLEDGED} until the agent answers them with
 * {@link CheckpointGuard#acknowledge(Message, String)}; one that is not answered within the lease
 * is handed over again, possibly to another checkpoint.
 *
 * @param messages the comments and instructions, in {@code seq} order
 * @param resumed     true when this checkpoint held the loop paused and then let it go on, so the
 *                    agent can say it continues ("Continuing plan agent execution...")
 * @param skipToAgent the agent a person asked the workflow to skip to ({@code metadata.skipToAgent}
 *                    of an instruction handed over here, the newest if several), or null
 */
public record Checkpoint(List<Message> messages, boolean resumed, String skipToAgent) {

    /** A checkpoint with nothing to hand over that did not pause. */
    public static final Checkpoint EMPTY = new Checkpoint(List.of(), false, null);

    /**
     * Copies the messages.
     *
     * @param messages the comments and instructions, in {@code seq} order
     * @param resumed whether the checkpoint held the loop paused
     * @param skipToAgent the agent to skip to, or null
     * @throws NullPointerException when {@code messages} is or holds null
     */
    public Checkpoint {
        messages = List.copyOf(messages);
    }

    /**
     * A checkpoint that asks for no skip.
     *
     * @param messages the comments and instructions, in {@code seq} order
     * @param resumed  true when this checkpoint held the loop paused and then let it go on
     */
    public Checkpoint(List<Message> messages, boolean resumed) {
        this(messages, resumed, null);
    }

    /**
     * The agent to skip to: the orchestrator skips the agents before it (and says so in the
     * thread), or refuses an agent it does not have. Reported with the instruction that asked for
     * it, which the agent acknowledges as any other: so once, unless the instruction's lease runs
     * out unanswered and it is handed over again.
     *
     * @return the agent type, or empty
     */
    public Optional<String> skipTo() {
        return Optional.ofNullable(skipToAgent);
    }

    /**
     * Whether nothing was handed over.
     *
     * @return true when there are no messages
     */
    public boolean isEmpty() {
        return messages.isEmpty();
    }

    /**
     * The instructions, which the agent should answer with {@link CheckpointGuard#acknowledge}.
     *
     * @return the instructions among {@link #messages()}, in {@code seq} order
     */
    public List<Message> instructions() {
        return messages.stream().filter(m -> m.actionType() == ActionType.INSTRUCTION).toList();
    }

    /**
     * The comments, context for the agent.
     *
     * @return the comments among {@link #messages()}, in {@code seq} order
     */
    public List<Message> comments() {
        return messages.stream().filter(m -> m.actionType() == ActionType.COMMENT).toList();
    }
}
