package dev.workflowthread;

import java.util.Map;

/**
 * What the next checkpoint of a workflow would act on, as seen by
 * {@link WorkflowMessages#checkForInterrupt(long)}: a pause, a cancel or a redirect.
 */
public sealed interface InterruptSignal {

    long workflowId();

    /**
     * The user message that asked for it; null when the signal stands for a state already in
     * effect (a pause being held, a workflow already cancelled or redirected).
     */
    Long messageId();

    /** Who asked, or null. */
    String author();

    /** The action this signal stands for. */
    ActionType actionType();

    /** Pause at the next checkpoint, or held paused. */
    record Pause(long workflowId, Long messageId, String reason, String author) implements InterruptSignal {
        @Override
        public ActionType actionType() {
            return ActionType.PAUSE;
        }
    }

    /** Stop the workflow, or stopped already; {@code reason} is the person's message. */
    record Cancel(long workflowId, Long messageId, String reason, String author) implements InterruptSignal {
        @Override
        public ActionType actionType() {
            return ActionType.CANCEL;
        }
    }

    /** Replace the workflow with a new one for {@code newTaskDescription}, or replaced already. */
    record Redirect(long workflowId, Long messageId, String newTaskDescription, Map<String, Object> metadata,
                    String author) implements InterruptSignal {
        @Override
        public ActionType actionType() {
            return ActionType.REDIRECT;
        }
    }
}
