package dev.workflowthread.examples.server;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Strict reading of the JSON objects clients send (REST bodies, WebSocket messages): the text must
 * be one JSON object, with no key twice at any depth and no field the endpoint does not know, so
 * that a typo ({@code actionType} for {@code action_type}) is an error rather than a silent
 * default. Every refusal is a 400 {@link ApiError} naming the field.
 */
final class JsonBodies {
    static final ObjectMapper MAPPER = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final JsonFactory FACTORY = MAPPER.getFactory();

    private JsonBodies() {
    }

    /**
     * Parses {@code text} as one JSON object that has only {@code knownFields}.
     *
     * @param required when false, an empty text is an empty object
     */
    static ObjectNode object(String text, boolean required, List<String> knownFields) {
        if (text == null || text.isBlank()) {
            if (required) {
                throw ApiError.badRequest("body", "the body must be a JSON object, but was empty");
            }
            return MAPPER.createObjectNode();
        }
        rejectDuplicateKeys(text);
        JsonNode root;
        try {
            root = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw invalid(e);
        }
        if (!root.isObject()) {
            throw ApiError.badRequest("body", "the body must be a JSON object, but was " + kind(root));
        }
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!knownFields.contains(name)) {
                throw ApiError.badRequest(name, "unknown field '" + name + "'; the fields are " + String.join(", ", knownFields));
            }
        }
        return (ObjectNode) root;
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

    /** Jackson keeps the last of two equal keys; a client that sends two meant something else. */
    private static void rejectDuplicateKeys(String text) {
        Deque<Set<String>> objects = new ArrayDeque<>();
        try (JsonParser parser = FACTORY.createParser(text)) {
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                if (token == JsonToken.START_OBJECT) {
                    objects.push(new HashSet<>());
                } else if (token == JsonToken.END_OBJECT) {
                    objects.pop();
                } else if (token == JsonToken.FIELD_NAME && !objects.peek().add(parser.currentName())) {
                    String path = parser.getParsingContext().pathAsPointer().toString().substring(1).replace('/', '.');
                    throw ApiError.badRequest(path, "the key '" + path + "' appears twice");
                }
            }
        } catch (JsonProcessingException e) {
            throw invalid(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ApiError invalid(JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        String where = at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
        return ApiError.badRequest("body", "the body is not valid JSON: " + e.getOriginalMessage() + where);
    }
}
