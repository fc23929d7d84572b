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
 */
public record Checkpoint(List<Message> messages) {

    /** A checkpoint with nothing to hand over. */
    public static final Checkpoint EMPTY = new Checkpoint(List.of());

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
