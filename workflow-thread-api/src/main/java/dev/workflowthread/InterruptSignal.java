package dev.workflowthread;

import java.util.Map;

/**
 * What the next checkpoint of a workflow would act on, as seen by
 * {@link WorkflowMessages#checkForInterrupt(long)}: a pause, a cancel or a redirect.
 */
public sealed interface InterruptSignal {

    long workflowId();

    /** The user message that asked for it. */
    long messageId();

    /** Who asked, or null. */
    String author();

    /** The action this signal stands for. */
    ActionType actionType();

    /** Pause at the next checkpoint (or already paused). */
    record Pause(long workflowId, long messageId, String reason, String author) implements InterruptSignal {
        @Override
        public ActionType actionType() {
            return ActionType.PAUSE;
        }
    }

    /** Stop the workflow; {@code reason} is the person's message. */
    record Cancel(long workflowId, long messageId, String reason, String author) implements InterruptSignal {
        @Override
        public ActionType actionType() {
            return ActionType.CANCEL;
        }
    }

    /** Replace the workflow with a new one for {@code newTaskDescription}. */
    record Redirect(long workflowId, long messageId, String newTaskDescription, Map<String, Object> metadata,
                    String author) implements InterruptSignal {
        @Override
        public ActionType actionType() {
            return ActionType.REDIRECT;
        }
    }
}
