package dev.workflowthread;

/** The root of every exception the library throws, apart from builder mistakes ({@link IllegalArgumentException}). */
public class WorkflowThreadException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public WorkflowThreadException(String message) {
        super(message);
    }

    public WorkflowThreadException(String message, Throwable cause) {
        super(message, cause);
    }

    protected WorkflowThreadException(String message, Throwable cause, boolean writableStackTrace) {
        super(message, cause, false, writableStackTrace);
    }
}
