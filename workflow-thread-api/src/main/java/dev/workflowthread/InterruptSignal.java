package dev.workflowthread;

import java.util.Map;

/**
 * What the next checkpoint of a workflow would act on, as seen by
 * {@link WorkflowMessages#checkForInterrupt(long)}: a pause, a cancel or a redirect.
 */
public sealed interface InterruptSignal {

    /**
     * The workflow the signal is for.
     *
     * @return the host's workflow id
     */
    long workflowId();

    /**
     * The user message that asked for it.
     *
     * @return the message's id; null when the signal stands for a state already in effect (a
     *         pause being held, a workflow already cancelled or redirected)
     */
    Long messageId();

    /**
     * Who asked.
     *
     * @return the asking message's author, or null when it has none or there is no such message
     */
    String author();

    /**
     * The action this signal stands for.
     *
     * @return {@link ActionType#PAUSE}, {@link ActionType#CANCEL} or {@link ActionType#REDIRECT}
     */
    ActionType actionType();

    /**
     * Pause at the next checkpoint, or held paused.
     *
     * @param workflowId the workflow
     * @param messageId  the pending pause message, or null when no pause message is open
     * @param reason     the pause's reason as the state records it, or null
     * @param author     who asked, or null
     */
    record Pause(long workflowId, Long messageId, String reason, String author) implements InterruptSignal {
        @Override
        public ActionType actionType() {
            return ActionType.PAUSE;
        }
    }

    /**
     * Stop the workflow, or stopped already.
     *
     * @param workflowId the workflow
     * @param messageId  the pending cancel message, or null when the workflow is already cancelled
     * @param reason     the person's message with the cancel (for a cancelled workflow, the reason
     *                   it was cancelled), or null
     * @param author     who asked, or null
     */
    record Cancel(long workflowId, Long messageId, String reason, String author) implements InterruptSignal {
        @Override
        public ActionType actionType() {
            return ActionType.CANCEL;
        }
    }

    /**
     * Replace the workflow with a new one for {@code newTaskDescription}, or replaced already.
     *
     * @param workflowId         the workflow
     * @param messageId          the pending redirect message, or null when the workflow is already
     *                           redirected
     * @param newTaskDescription the new task
     * @param metadata           the redirect message's whole metadata, or null when the workflow
     *                           is already redirected
     * @param author             who asked, or null
     */
    record Redirect(long workflowId, Long messageId, String newTaskDescription, Map<String, Object> metadata,
                    String author) implements InterruptSignal {
        @Override
        public ActionType actionType() {
            return ActionType.REDIRECT;
        }
    }
}
