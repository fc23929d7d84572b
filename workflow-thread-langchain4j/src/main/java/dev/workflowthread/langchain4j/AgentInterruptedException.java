package dev.workflowthread.langchain4j;

/**
 * Thrown out of an AI Service call when its thread was interrupted while a checkpoint held it
 * paused (or while it waited for a person's answer). The interrupt flag is set again; the workflow
 * stays paused (or the question open).
 */
public class AgentInterruptedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Wraps the interruption.
     *
     * @param message what was waiting
     * @param cause   the interruption
     */
    public AgentInterruptedException(String message, InterruptedException cause) {
        super(message, cause);
    }
}
