package dev.workflowthread;

import java.time.Instant;

/**
 * Something that happened in a workflow's thread, as delivered to a {@link ThreadListener}.
 *
 * <p>Every event stems from one stored message and carries its {@link #seq()}: a new message gives
 * {@link MessageAdded} ({@code message:new}); a system message that records a change of state
 * gives, right after it, the state event with the same {@code seq}. A subscriber that resumes
 * {@code after} a seq therefore receives both kinds again without gap or duplicate.
 * {@link #name()} is the event's wire name.
 *
 * <p>The state events ({@code workflow:*}) are {@link StateChanged}: each carries the workflow's
 * {@link StateChanged#state() state}, so that a listener showing the workflow does not read it
 * again for each one.
 */
public sealed interface ThreadEvent {

    long workflowId();

    /** The {@code seq} of the message this event stems from. */
    long seq();

    /** When that message was stored. */
    Instant occurredAt();

    /** The wire name: {@code message:new}, {@code workflow:paused}, … */
    String name();

    /**
     * An event that records a change of the workflow's state: {@code workflow:paused},
     * {@code workflow:unpaused}, {@code workflow:cancelled}, {@code workflow:redirected},
     * {@code workflow:completed} or {@code workflow:failed}.
     */
    sealed interface StateChanged extends ThreadEvent {

        /**
         * The workflow's state as the library read it to deliver this event: with this event's
         * change, and with whatever was committed after it by then ({@code state().lastSeq()} is at
         * least {@link #seq()}). An event delivered as it happens carries the state it left; one
         * replayed from the history of a subscription that starts from an old seq carries the
         * state of the time of delivery, so a listener shows it as the workflow's state now.
         *
         * @return the workflow's state, never null
         */
        WorkflowState state();
    }

    /** {@code message:new}: a message was stored (user, agent or system). */
    record MessageAdded(Message message) implements ThreadEvent {
        public static final String NAME = "message:new";

        @Override
        public long workflowId() {
            return message.workflowId();
        }

        @Override
        public long seq() {
            return message.seq();
        }

        @Override
        public Instant occurredAt() {
            return message.createdAt();
        }

        @Override
        public String name() {
            return NAME;
        }
    }

    /** {@code workflow:paused}: a checkpoint paused the workflow. */
    record WorkflowPaused(long workflowId, long seq, Instant occurredAt, String reason, String author,
                          WorkflowState state) implements StateChanged {
        public static final String NAME = "workflow:paused";

        @Override
        public String name() {
            return NAME;
        }
    }

    /** {@code workflow:unpaused}: the workflow runs again. */
    record WorkflowUnpaused(long workflowId, long seq, Instant occurredAt, String author, WorkflowState state)
            implements StateChanged {
        public static final String NAME = "workflow:unpaused";

        @Override
        public String name() {
            return NAME;
        }
    }

    /** {@code workflow:cancelled}: the workflow stopped; {@code reason} is the person's message. */
    record WorkflowCancelled(long workflowId, long seq, Instant occurredAt, String reason, String author,
                             WorkflowState state) implements StateChanged {
        public static final String NAME = "workflow:cancelled";

        @Override
        public String name() {
            return NAME;
        }
    }

    /** {@code workflow:redirected}: the workflow was replaced by {@code newWorkflowId}. */
    record WorkflowRedirected(long workflowId, long seq, Instant occurredAt, long newWorkflowId,
                              String newTaskDescription, String author, WorkflowState state) implements StateChanged {
        public static final String NAME = "workflow:redirected";

        @Override
        public String name() {
            return NAME;
        }
    }

    /** {@code workflow:completed}: the host completed the workflow. */
    record WorkflowCompleted(long workflowId, long seq, Instant occurredAt, String summary, WorkflowState state)
            implements StateChanged {
        public static final String NAME = "workflow:completed";

        @Override
        public String name() {
            return NAME;
        }
    }

    /** {@code workflow:failed}: the host failed the workflow, or a pause timed out with outcome fail. */
    record WorkflowFailed(long workflowId, long seq, Instant occurredAt, String reason, WorkflowState state)
            implements StateChanged {
        public static final String NAME = "workflow:failed";

        @Override
        public String name() {
            return NAME;
        }
    }
}
