package dev.workflowthread;

import java.time.Instant;

/**
 * Something that happened in a workflow's thread, as delivered to a {@link ThreadListener}.
 *
 * <p>Every event stems from one stored message and carries its {@link #seq()}: a new message gives
 * {@link MessageAdded} ({@code message:new}); a system message that records a change of state
 * gives, right after it, the state event with the same {@code seq}. A subscriber that resumes
 * {@code after} a seq therefore receives both kinds again without gap or duplicate.
 * {@link #name()} is the plan's wire name.
 */
public sealed interface ThreadEvent {

    long workflowId();

    /** The {@code seq} of the message this event stems from. */
    long seq();

    /** When that message was stored. */
    Instant occurredAt();

    /** The wire name: {@code message:new}, {@code workflow:paused}, … */
    String name();

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
    record WorkflowPaused(long workflowId, long seq, Instant occurredAt, String reason, String author)
            implements ThreadEvent {
        public static final String NAME = "workflow:paused";

        @Override
        public String name() {
            return NAME;
        }
    }

    /** {@code workflow:unpaused}: the workflow runs again. */
    record WorkflowUnpaused(long workflowId, long seq, Instant occurredAt, String author) implements ThreadEvent {
        public static final String NAME = "workflow:unpaused";

        @Override
        public String name() {
            return NAME;
        }
    }

    /** {@code workflow:cancelled}: the workflow stopped; {@code reason} is the person's message. */
    record WorkflowCancelled(long workflowId, long seq, Instant occurredAt, String reason, String author)
            implements ThreadEvent {
        public static final String NAME = "workflow:cancelled";

        @Override
        public String name() {
            return NAME;
        }
    }

    /** {@code workflow:redirected}: the workflow was replaced by {@code newWorkflowId}. */
    record WorkflowRedirected(long workflowId, long seq, Instant occurredAt, long newWorkflowId,
                              String newTaskDescription, String author) implements ThreadEvent {
        public static final String NAME = "workflow:redirected";

        @Override
        public String name() {
            return NAME;
        }
    }

    /** {@code workflow:completed}: the host completed the workflow. */
    record WorkflowCompleted(long workflowId, long seq, Instant occurredAt, String summary) implements ThreadEvent {
        public static final String NAME = "workflow:completed";

        @Override
        public String name() {
            return NAME;
        }
    }

    /** {@code workflow:failed}: the host failed the workflow, or a pause timed out with outcome fail. */
    record WorkflowFailed(long workflowId, long seq, Instant occurredAt, String reason) implements ThreadEvent {
        public static final String NAME = "workflow:failed";

        @Override
        public String name() {
            return NAME;
        }
    }
}
