package dev.workflowthread;

/**
 * A message, a send request or a wire document was rejected before anything was stored.
 * {@link #field()} names the offending field with its wire name ({@code content},
 * {@code action_type}, {@code metadata}, {@code metadata.newTaskDescription}, …) and
 * {@link #reason()} what kind of mistake it is, so a host turns it into an HTTP 400 (413 for
 * {@link Reason#TOO_LARGE}) that says what to fix.
 *
 * <p>The static checks ({@link #requireNonNull}, {@link #requireText}, {@link #requireNotNegative})
 * are the ones the library applies to what becomes a message; a host's own {@link AgentNarrator}
 * or a store may use them to refuse alike.
 */
public class InvalidMessageException extends InvalidArgumentException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param field   the wire name of the refused field
     * @param reason  what kind of mistake it is
     * @param message what was wrong and what was given, naming {@code field}
     * @throws NullPointerException when {@code reason} is null
     */
    public InvalidMessageException(String field, Reason reason, String message) {
        super(field, reason, message);
    }

    /**
     * Refuses a null value.
     *
     * @param field the name of the value, for the exception
     * @param value the value
     * @param <T>   its type
     * @return {@code value}
     * @throws InvalidMessageException naming {@code field}, {@link Reason#MISSING}, when {@code value} is null
     */
    public static <T> T requireNonNull(String field, T value) {
        if (value == null) {
            throw new InvalidMessageException(field, Reason.MISSING, field + " must not be null");
        }
        return value;
    }

    /**
     * Refuses a null or blank text.
     *
     * @param field the name of the text, for the exception
     * @param text  the text
     * @return {@code text}
     * @throws InvalidMessageException naming {@code field}: {@link Reason#MISSING} when {@code text}
     *                                 is null, {@link Reason#BLANK} when it is empty or only white space
     */
    public static String requireText(String field, String text) {
        if (requireNonNull(field, text).isBlank()) {
            throw new InvalidMessageException(field, Reason.BLANK, field + " must not be blank");
        }
        return text;
    }

    /**
     * Refuses a negative count.
     *
     * @param field the name of the count, for the exception
     * @param count the count
     * @return {@code count}
     * @throws InvalidMessageException naming {@code field}, {@link Reason#OUT_OF_RANGE}, when {@code count} is negative
     */
    public static long requireNotNegative(String field, long count) {
        if (count < 0) {
            throw new InvalidMessageException(field, Reason.OUT_OF_RANGE,
                    field + " must not be negative, but was " + count);
        }
        return count;
    }
}
