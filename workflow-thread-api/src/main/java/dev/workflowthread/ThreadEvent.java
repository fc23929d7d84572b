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

    /**
     * The workflow the event happened in.
     *
     * @return the host's workflow id
     */
    long workflowId();

    /**
     * The message this event stems from.
     *
     * @return that message's {@code seq}
     */
    long seq();

    /**
     * When it happened.
     *
     * @return when the message this event stems from was stored
     */
    Instant occurredAt();

    /**
     * The event's wire name.
     *
     * @return {@code message:new}, {@code workflow:paused}, … (the {@code NAME} of the record)
     */
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

    /**
     * {@code message:new}: a message was stored (user, agent or system).
     *
     * @param message the stored message
     */
    record MessageAdded(Message message) implements ThreadEvent {
        /** The wire name, {@value}. */
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

    /**
     * {@code workflow:paused}: a checkpoint paused the workflow.
     *
     * @param workflowId the workflow
     * @param seq        the {@code seq} of the system message that records the pause
     * @param occurredAt when that message was stored
     * @param reason     the person's words with the pause, or null
     * @param author     who asked for the pause, or null
     * @param state      the workflow's state, see {@link StateChanged#state()}
     */
    record WorkflowPaused(long workflowId, long seq, Instant occurredAt, String reason, String author,
                          WorkflowState state) implements StateChanged {
        /** The wire name, {@value}. */
        public static final String NAME = "workflow:paused";

        @Override
        public String name() {
            return NAME;
        }
    }

    /**
     * {@code workflow:unpaused}: the workflow runs again.
     *
     * @param workflowId the workflow
     * @param seq        the {@code seq} of the system message that records the resume
     * @param occurredAt when that message was stored
     * @param author     who asked for the resume, or null
     * @param state      the workflow's state, see {@link StateChanged#state()}
     */
    record WorkflowUnpaused(long workflowId, long seq, Instant occurredAt, String author, WorkflowState state)
            implements StateChanged {
        /** The wire name, {@value}. */
        public static final String NAME = "workflow:unpaused";

        @Override
        public String name() {
            return NAME;
        }
    }

    /**
     * {@code workflow:cancelled}: the workflow stopped.
     *
     * @param workflowId the workflow
     * @param seq        the {@code seq} of the system message that records the cancel
     * @param occurredAt when that message was stored
     * @param reason     the person's message with the cancel, or the library's words when a pause
     *                   timed out
     * @param author     who asked for the cancel, or null
     * @param state      the workflow's state, see {@link StateChanged#state()}
     */
    record WorkflowCancelled(long workflowId, long seq, Instant occurredAt, String reason, String author,
                             WorkflowState state) implements StateChanged {
        /** The wire name, {@value}. */
        public static final String NAME = "workflow:cancelled";

        @Override
        public String name() {
            return NAME;
        }
    }

    /**
     * {@code workflow:redirected}: the workflow was replaced by {@code newWorkflowId}.
     *
     * @param workflowId         the redirected workflow
     * @param seq                the {@code seq} of the system message that records the redirect
     * @param occurredAt         when that message was stored
     * @param newWorkflowId      the workflow the host's {@link RedirectHandler} created
     * @param newTaskDescription the new task
     * @param author             who asked for the redirect, or null
     * @param state              the workflow's state, see {@link StateChanged#state()}
     */
    record WorkflowRedirected(long workflowId, long seq, Instant occurredAt, long newWorkflowId,
                              String newTaskDescription, String author, WorkflowState state) implements StateChanged {
        /** The wire name, {@value}. */
        public static final String NAME = "workflow:redirected";

        @Override
        public String name() {
            return NAME;
        }
    }

    /**
     * {@code workflow:completed}: the host completed the workflow.
     *
     * @param workflowId the workflow
     * @param seq        the {@code seq} of the system message "Workflow completed"
     * @param occurredAt when that message was stored
     * @param summary    the summary the host gave, or null
     * @param state      the workflow's state, see {@link StateChanged#state()}
     */
    record WorkflowCompleted(long workflowId, long seq, Instant occurredAt, String summary, WorkflowState state)
            implements StateChanged {
        /** The wire name, {@value}. */
        public static final String NAME = "workflow:completed";

        @Override
        public String name() {
            return NAME;
        }
    }

    /**
     * {@code workflow:failed}: the host failed the workflow, or a pause timed out with outcome fail.
     *
     * @param workflowId the workflow
     * @param seq        the {@code seq} of the system message "Workflow failed: …"
     * @param occurredAt when that message was stored
     * @param reason     the host's reason, or the library's words when a pause timed out
     * @param state      the workflow's state, see {@link StateChanged#state()}
     */
    record WorkflowFailed(long workflowId, long seq, Instant occurredAt, String reason, WorkflowState state)
            implements StateChanged {
        /** The wire name, {@value}. */
        public static final String NAME = "workflow:failed";

        @Override
        public String name() {
            return NAME;
        }
    }
}
