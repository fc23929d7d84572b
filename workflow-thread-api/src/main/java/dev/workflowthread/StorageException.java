package dev.workflowthread;

/**
 * The store failed (a database error, a lost connection, an exhausted pool). {@link #operation()}
 * names what was being done. The store's state is as it was before the failed operation, except
 * for the subclass {@link OutcomeUnknownException}: the connection failed during the commit, and
 * the operation may have been stored whole (never in part).
 *
 * <p>What a host does: a plain {@code StorageException} had no effect, so the call may be made
 * again once the database is back; an {@link OutcomeUnknownException} is answered by making the
 * same call again with the same idempotency key (see there).
 */
public class StorageException extends WorkflowThreadException {
    private static final long serialVersionUID = 1L;

    /** What the store was doing. */
    private final String operation;

    /**
     * Creates the exception with the cause's message as its detail.
     *
     * @param operation what was being done, e.g. {@code commit to workflow 7}
     * @param cause     the failure, or null (the detail is then "unknown cause")
     */
    public StorageException(String operation, Throwable cause) {
        this(operation, cause == null ? "unknown cause" : cause.getMessage(), cause);
    }

    /**
     * Creates the exception; its message is "{operation} failed: {detail}".
     *
     * @param operation what was being done, e.g. {@code commit to workflow 7}
     * @param detail    what went wrong, in the words of whatever failed deepest (a store passes the
     *                  database's own message here rather than a wrapper's)
     * @param cause     the failure, or null
     */
    public StorageException(String operation, String detail, Throwable cause) {
        super(operation + " failed: " + detail, cause);
        this.operation = operation;
    }

    /**
     * What the store was doing when it failed.
     *
     * @return the operation, as the store named it
     */
    public String operation() {
        return operation;
    }
}
