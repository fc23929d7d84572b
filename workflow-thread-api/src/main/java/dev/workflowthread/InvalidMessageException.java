package dev.workflowthread;

/**
 * A message, a send request or a wire document was rejected before anything was stored.
 * {@link #field()} names the offending field with its wire name ({@code content},
 * {@code action_type}, {@code metadata}, {@code metadata.newTaskDescription}, …) so a host can
 * turn it into an HTTP 400 that says what to fix.
 */
public class InvalidMessageException extends WorkflowThreadException {
    private static final long serialVersionUID = 1L;

    private final String field;

    public InvalidMessageException(String field, String message) {
        super(message);
        this.field = field;
    }

    /** The wire name of the field that was wrong. */
    public String field() {
        return field;
    }
}
