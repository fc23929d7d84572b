package dev.workflowthread.web;

import dev.workflowthread.InvalidMessageException;
import dev.workflowthread.json.WireFormat;
import java.math.BigInteger;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Strict reading of the JSON objects clients send (REST bodies, WebSocket messages): the text must
 * be one JSON object, with no key twice at any depth and no field the endpoint does not know, so
 * that a typo ({@code actionType} for {@code action_type}) is an error rather than a silent
 * default. Every refusal is a 400 {@link WebRefusal} naming the field.
 */
final class JsonBodies {
    private JsonBodies() {
    }

    /**
     * Parses {@code text} as one JSON object that has only {@code knownFields}, with the library's
     * strict reader ({@link WireFormat#parseObject}).
     *
     * @param required when false, an empty text is an empty object
     */
    static Map<String, Object> object(String text, boolean required, List<String> knownFields) {
        if (!required && (text == null || text.isBlank())) {
            return Map.of();
        }
        try {
            return WireFormat.parseObject(text, knownFields);
        } catch (InvalidMessageException e) {
            throw WebRefusal.badRequest(e.field(), e.getMessage());
        }
    }

    /** A field that must be a string when present; null when absent or JSON null. */
    static String optionalText(Map<String, Object> object, String field) {
        Object value = object.get(field);
        if (value == null) {
            return null;
        }
        if (!(value instanceof String text)) {
            throw WebRefusal.badRequest(field, field + " must be a string, but was " + kind(value));
        }
        return text;
    }

    /**
     * A required text of at most {@code maxLength} characters (code points): a 400 when missing,
     * blank, or holding a control character (other than line breaks and tabs) or an unpaired
     * surrogate; a 413 when too long.
     */
    static String requiredText(Map<String, Object> object, String field, int maxLength) {
        String text = optionalText(object, field);
        if (text == null) {
            throw WebRefusal.badRequest(field, field + " is required");
        }
        return checkText(field, text, maxLength);
    }

    /** The checks of {@link #requiredText} on a text already read. */
    static String checkText(String field, String text, int maxLength) {
        if (text.isBlank()) {
            throw WebRefusal.badRequest(field, field + " must not be blank");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw WebRefusal.badRequest(field, field + " must be well-formed Unicode, but has an unpaired surrogate"
                        + " at index " + i);
            } else if (Character.isISOControl(c) && c != '\n' && c != '\r' && c != '\t') {
                throw WebRefusal.badRequest(field, field + " must not contain control characters, but has U+"
                        + String.format(Locale.ROOT, "%04X", (int) c) + " at index " + i);
            }
        }
        int length = text.codePointCount(0, text.length());
        if (length > maxLength) {
            throw WebRefusal.tooLarge(field, field + " must be at most " + maxLength + " characters, but was " + length);
        }
        return text;
    }

    /**
     * A whole number of at least {@code min} (as JSON writes it: {@code 7} or {@code 7.0});
     * {@code fallback} when absent or JSON null.
     */
    static long wholeNumber(Map<String, Object> object, String field, long min, Long fallback, String what) {
        Object value = object.get(field);
        if (value == null) {
            if (fallback == null) {
                throw WebRefusal.badRequest(field, field + " is required");
            }
            return fallback;
        }
        Long whole = null;
        if (value instanceof Integer || value instanceof Long) {
            whole = ((Number) value).longValue();
        } else if (value instanceof BigInteger big && big.bitLength() < 64) {
            whole = big.longValue();
        } else if (value instanceof Double d && d == Math.rint(d) && Math.abs(d) < 0x1p63) {
            whole = d.longValue();
        }
        if (whole == null || whole < min) {
            throw WebRefusal.badRequest(field, field + " must be " + what + ", but was " + Documents.write(value));
        }
        return whole;
    }

    /** "object", "array", "string", "number", "boolean" or "null". */
    static String kind(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof Map) {
            return "object";
        }
        if (value instanceof List) {
            return "array";
        }
        if (value instanceof String) {
            return "string";
        }
        if (value instanceof Boolean) {
            return "boolean";
        }
        return "number";
    }
}
