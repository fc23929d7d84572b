package dev.workflowthread;

import java.util.List;

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
 * @param resumed  true when this checkpoint held the loop paused and then let it go on, so the
 *                 agent can say it continues ("Continuing plan agent execution...")
 */
public record Checkpoint(List<Message> messages, boolean resumed) {

    /** A checkpoint with nothing to hand over that did not pause. */
    public static final Checkpoint EMPTY = new Checkpoint(List.of(), false);

    public Checkpoint {
        messages = List.copyOf(messages);
    }

    /** True when nothing was handed over. */
    public boolean isEmpty() {
        return messages.isEmpty();
    }

    /** The instructions, which the agent should answer with {@link CheckpointGuard#acknowledge}. */
    public List<Message> instructions() {
        return messages.stream().filter(m -> m.actionType() == ActionType.INSTRUCTION).toList();
    }

    /** The comments, context for the agent. */
    public List<Message> comments() {
        return messages.stream().filter(m -> m.actionType() == ActionType.COMMENT).toList();
    }
}
