package dev.workflowthread;

/**
 * The store lost its connection while the database was committing (the connection was cut or the
 * server shut down during {@code COMMIT}), so whether the operation took effect is unknown: it may
 * be stored, or not at all, never in part.
 *
 * <p>What a host does: retry the same call. The calls a host retries are safe to retry:
 * {@link WorkflowMessages#send} with the same {@link SendRequest#idempotencyKey()},
 * {@link CheckpointGuard#acknowledge} of the same message by the same guard, and
 * {@link AgentNarrator#say(String, java.util.Map, String)} with the same key each store their
 * message at most once, however often they are retried, across processes. Other writes
 * (a checkpoint's own commits, {@code complete}, {@code fail}) re-read the state when retried and
 * so apply at most once too.
 */
public class OutcomeUnknownException extends StorageException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception; its message says that the outcome is unknown.
     *
     * @param operation what was being done, e.g. {@code commit to workflow 7}
     * @param detail    what went wrong, in the words of whatever failed deepest
     * @param cause     the failure, or null
     */
    public OutcomeUnknownException(String operation, String detail, Throwable cause) {
        super(operation, "outcome unknown, the connection failed during commit: " + detail, cause);
    }
}
