package dev.workflowthread;

/**
 * The store failed (a database error, a lost connection, an exhausted pool). {@link #operation()}
 * names what was being done. The store's state is as it was before the failed operation.
 */
public class StorageException extends WorkflowThreadException {
    private static final long serialVersionUID = 1L;

    private final String operation;

    public StorageException(String operation, Throwable cause) {
        super(operation + " failed: " + (cause == null ? "unknown cause" : cause.getMessage()), cause);
        this.operation = operation;
    }

    public String operation() {
        return operation;
    }
}
