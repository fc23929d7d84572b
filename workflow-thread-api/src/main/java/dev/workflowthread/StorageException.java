package dev.workflowthread;

/**
 * The store failed (a database error, a lost connection, an exhausted pool). {@link #operation()}
 * names what was being done. The store's state is as it was before the failed operation.
 */
public class StorageException extends WorkflowThreadException {
    private static final long serialVersionUID = 1L;

    private final String operation;

    public StorageException(String operation, Throwable cause) {
        this(operation, cause == null ? "unknown cause" : cause.getMessage(), cause);
    }

    /**
     * @param detail what went wrong, in the words of whatever failed deepest (a store passes the
     *               database's own message here rather than a wrapper's)
     */
    public StorageException(String operation, String detail, Throwable cause) {
        super(operation + " failed: " + detail, cause);
        this.operation = operation;
    }

    public String operation() {
        return operation;
    }
}
