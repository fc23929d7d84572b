package dev.workflowthread;

/** The root of every exception the library throws, apart from builder mistakes ({@link IllegalArgumentException}). */
public class WorkflowThreadException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what went wrong
     */
    public WorkflowThreadException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param message what went wrong
     * @param cause   the failure behind it, or null
     */
    public WorkflowThreadException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Creates the exception, for subclasses that are cheap to throw. Suppressed exceptions are not
     * recorded.
     *
     * @param message            what went wrong
     * @param cause              the failure behind it, or null
     * @param writableStackTrace false to record no stack trace
     */
    protected WorkflowThreadException(String message, Throwable cause, boolean writableStackTrace) {
        super(message, cause, false, writableStackTrace);
    }
}
