package dev.workflowthread;

/**
 * An argument was refused before anything was read or stored: an id that cannot be one (a
 * {@code workflowId} of 0), a page {@code limit} or a cursor ({@code after}) out of range.
 * {@link #field()} names the argument and {@link #reason()} says what kind of mistake it is, so a
 * host turns it into an HTTP 400 that says what to fix without reading the message.
 *
 * <p>A refused message, send request or wire document is the subclass
 * {@link InvalidMessageException}; a host that answers both alike catches this class.
 */
public class InvalidArgumentException extends WorkflowThreadException {
    private static final long serialVersionUID = 1L;

    /** What kind of mistake a refused value is; a web host answers {@link #TOO_LARGE} with 413, the others with 400. */
    public enum Reason {
        /** A required value is null or absent ({@code content} missing from a body, a null request). */
        MISSING,
        /** A text is empty or only white space. */
        BLANK,
        /**
         * A value is over a size limit: more UTF-8 bytes than the content limit (a text, the
         * metadata as JSON), more characters than a field takes ({@code author},
         * {@code agent_type}, {@code idempotency_key}, a metadata key), or a number of more digits
         * than every store reads back.
         */
        TOO_LARGE,
        /** Metadata nests deeper than {@link dev.workflowthread.spi.MetadataCodec#MAX_DEPTH} levels. */
        TOO_DEEP,
        /** A value of another kind than the field takes: {@code content} a number, {@code metadata} a list, a body not an object. */
        WRONG_TYPE,
        /** A value that is none of the field's wire names: an {@code action_type} of {@code "explode"}. */
        UNKNOWN_VALUE,
        /** A field the document does not have ({@code actionType} for {@code action_type}). */
        UNKNOWN_FIELD,
        /** A key that appears twice in one JSON object. */
        DUPLICATE_KEY,
        /**
         * A value no store can keep as given: text that is not JSON, a NUL character or an unpaired
         * surrogate, a number that is not finite, a map that contains itself, an
         * {@code idempotency_key} with other than visible ASCII characters.
         */
        MALFORMED,
        /** A number outside the range the argument takes: a workflow id not positive, a page limit, a negative count. */
        OUT_OF_RANGE,
        /** An {@code idempotency_key} already used for another message of the workflow. */
        KEY_REUSED,
        /**
         * A value that is well-formed but does not apply here: an agent message with a control
         * {@code action_type}, closing a message that is not a person's, acknowledging a message
         * that is not a person's message of the workflow.
         */
        NOT_APPLICABLE
    }

    /** The name of the refused argument or field. */
    private final String field;
    /** What kind of mistake it is; never null. */
    private final Reason reason;

    /**
     * Creates the exception.
     *
     * @param field   the name of the refused argument or field, as the caller wrote it
     * @param reason  what kind of mistake it is
     * @param message what was wrong and what was given, naming {@code field}
     * @throws NullPointerException when {@code reason} is null
     */
    public InvalidArgumentException(String field, Reason reason, String message) {
        super(message);
        this.field = field;
        this.reason = java.util.Objects.requireNonNull(reason, "reason");
    }

    /**
     * The refused argument or field.
     *
     * @return its name: the wire name for a field of a document ({@code content}, {@code metadata.x}), the parameter's otherwise
     */
    public String field() {
        return field;
    }

    /**
     * What kind of mistake it is.
     *
     * @return the reason, never null
     */
    public Reason reason() {
        return reason;
    }
}
