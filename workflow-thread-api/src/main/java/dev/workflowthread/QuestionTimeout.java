package dev.workflowthread;

import java.util.Objects;

/**
 * What {@link CheckpointGuard#ask} does when nobody answers before the deadline: go on with a
 * default answer, cancel the workflow, or fail the call.
 */
public final class QuestionTimeout {

    /** The three outcomes. */
    public enum Outcome {
        /** {@code ask} returns the default answer, marked {@link Answer#timedOut()}. */
        DEFAULT_ANSWER,
        /** The workflow is cancelled and {@code ask} throws {@link WorkflowCancelledException}. */
        CANCEL,
        /** {@code ask} throws {@link QuestionTimeoutException}; the workflow is left as it is. */
        FAIL
    }

    private final Outcome outcome;
    private final String defaultAnswer;

    private QuestionTimeout(Outcome outcome, String defaultAnswer) {
        this.outcome = outcome;
        this.defaultAnswer = defaultAnswer;
    }

    /**
     * Goes on with a default answer.
     *
     * @param defaultAnswer the answer to go on with; for a question with options, one of them
     * @return the outcome
     * @throws InvalidMessageException naming {@code defaultAnswer} when it is null or blank
     */
    public static QuestionTimeout answer(String defaultAnswer) {
        return new QuestionTimeout(Outcome.DEFAULT_ANSWER, InvalidMessageException.requireText("defaultAnswer", defaultAnswer));
    }

    /**
     * Cancels the workflow.
     *
     * @return the outcome
     */
    public static QuestionTimeout cancelWorkflow() {
        return new QuestionTimeout(Outcome.CANCEL, null);
    }

    /**
     * Fails the call with {@link QuestionTimeoutException}.
     *
     * @return the outcome
     */
    public static QuestionTimeout fail() {
        return new QuestionTimeout(Outcome.FAIL, null);
    }

    /**
     * Which outcome this is.
     *
     * @return the outcome
     */
    public Outcome outcome() {
        return outcome;
    }

    /**
     * The default answer.
     *
     * @return the answer for {@link Outcome#DEFAULT_ANSWER}, else null
     */
    public String defaultAnswer() {
        return defaultAnswer;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof QuestionTimeout that && outcome == that.outcome
                && Objects.equals(defaultAnswer, that.defaultAnswer);
    }

    @Override
    public int hashCode() {
        return Objects.hash(outcome, defaultAnswer);
    }

    @Override
    public String toString() {
        return outcome == Outcome.DEFAULT_ANSWER ? "answer '" + defaultAnswer + "'" : outcome.name().toLowerCase(java.util.Locale.ROOT);
    }
}
