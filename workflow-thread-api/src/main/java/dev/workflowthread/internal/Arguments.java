package dev.workflowthread.internal;

import dev.workflowthread.InvalidMessageException;

/** The null checks of the public entry points: an {@link InvalidMessageException} naming the field, never a bare NPE. */
public final class Arguments {
    private Arguments() {
    }

    /**
     * Returns {@code value}.
     *
     * @throws InvalidMessageException naming {@code field} when {@code value} is null
     */
    public static <T> T required(String field, T value) {
        if (value == null) {
            throw new InvalidMessageException(field, field + " must not be null");
        }
        return value;
    }

    /**
     * Returns {@code text}.
     *
     * @throws InvalidMessageException naming {@code field} when {@code text} is null or blank
     */
    public static String requiredText(String field, String text) {
        if (required(field, text).isBlank()) {
            throw new InvalidMessageException(field, field + " must not be blank");
        }
        return text;
    }

    /**
     * Returns {@code count}.
     *
     * @throws InvalidMessageException naming {@code field} when {@code count} is negative
     */
    public static long notNegative(String field, long count) {
        if (count < 0) {
            throw new InvalidMessageException(field, field + " must not be negative, but was " + count);
        }
        return count;
    }
}
