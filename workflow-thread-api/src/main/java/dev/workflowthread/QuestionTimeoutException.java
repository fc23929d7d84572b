package dev.workflowthread;

/**
 * Thrown by {@link CheckpointGuard#ask} with {@link QuestionTimeout#fail()} when nobody answered
 * before the deadline. The question is closed: a later answer is stored as ignored.
 */
public class QuestionTimeoutException extends WorkflowThreadException {
    private static final long serialVersionUID = 1L;

    /** The agent's question. */
    private final long questionId;

    /**
     * Creates the exception.
     *
     * @param workflowId the workflow that asked
     * @param questionId the question's message id
     * @param timeout    how long it waited, in words
     */
    public QuestionTimeoutException(long workflowId, long questionId, String timeout) {
        super("nobody answered question " + questionId + " of workflow " + workflowId + " within " + timeout);
        this.questionId = questionId;
    }

    /**
     * The question nobody answered.
     *
     * @return its message id
     */
    public long questionId() {
        return questionId;
    }
}
