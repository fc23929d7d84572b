package dev.workflowthread.examples.server;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.workflowthread.InvalidMessageException;
import dev.workflowthread.json.WireFormat;
import java.util.List;
import java.util.Locale;

/**
 * Strict reading of the JSON objects clients send (REST bodies, WebSocket messages): the text must
 * be one JSON object, with no key twice at any depth and no field the endpoint does not know, so
 * that a typo ({@code actionType} for {@code action_type}) is an error rather than a silent
 * default. Every refusal is a 400 {@link ApiError} naming the field.
 */
final class JsonBodies {
    static final ObjectMapper MAPPER = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private JsonBodies() {
    }

    /**
     * Parses {@code text} as one JSON object that has only {@code knownFields}, with the library's
     * strict reader ({@link WireFormat#parseObject}: no key twice at any depth, no unknown field).
     *
     * @param required when false, an empty text is an empty object
     */
    static ObjectNode object(String text, boolean required, List<String> knownFields) {
        if (!required && (text == null || text.isBlank())) {
            return MAPPER.createObjectNode();
        }
        try {
            // The library answers plain Java values; the demo reads them as a Jackson tree of its own.
            return MAPPER.valueToTree(WireFormat.parseObject(text, knownFields));
        } catch (InvalidMessageException e) {
            throw ApiError.badRequest(e.field(), e.getMessage());
        }
    }

    /** A field that must be a string when present; null when absent or JSON null. */
    static String optionalText(ObjectNode object, String field) {
        JsonNode node = object.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw ApiError.badRequest(field, field + " must be a string, but was " + kind(node));
        }
        return node.textValue();
    }

    /**
     * A required text of at most {@code maxLength} characters (code points): a 400 when missing,
     * blank, or holding a control character (other than line breaks and tabs) or an unpaired
     * surrogate; a 413 when too long.
     */
    static String requiredText(ObjectNode object, String field, int maxLength) {
        String text = optionalText(object, field);
        if (text == null) {
            throw ApiError.badRequest(field, field + " is required");
        }
        return checkText(field, text, maxLength);
    }

    /** The checks of {@link #requiredText} on a text already read. */
    static String checkText(String field, String text, int maxLength) {
        if (text.isBlank()) {
            throw ApiError.badRequest(field, field + " must not be blank");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw ApiError.badRequest(field, field + " must be well-formed Unicode, but has an unpaired surrogate at index " + i);
            } else if (Character.isISOControl(c) && c != '\n' && c != '\r' && c != '\t') {
                throw ApiError.badRequest(field, field + " must not contain control characters, but has U+"
                        + String.format(Locale.ROOT, "%04X", (int) c) + " at index " + i);
            }
        }
        int length = text.codePointCount(0, text.length());
        if (length > maxLength) {
            throw ApiError.tooLarge(field, field + " must be at most " + maxLength + " characters, but was " + length);
        }
        return text;
    }

    /** "object", "array", "string", "number", "boolean" or "null". */
    static String kind(JsonNode node) {
        return node.getNodeType().name().toLowerCase(Locale.ROOT);
    }
}
