package dev.workflowthread.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.workflowthread.InvalidMessageException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Deep, unmodifiable copies of JSON-shaped values (metadata), and the library's Jackson mapper. */
public final class JsonValues {

    /** Shared, configured once; ObjectMapper is thread-safe after configuration. */
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private JsonValues() {
    }

    /**
     * Copies a JSON object into an unmodifiable map whose values are strings, longs (whole
     * numbers), doubles, booleans, null, lists and maps, keeping key order. Other values (records, beans) are converted the way
     * Jackson would serialise them. Returns null for null, and an already frozen map as it is.
     *
     * @throws InvalidMessageException naming {@code metadata} for values JSON cannot hold
     */
    public static Map<String, Object> immutableCopy(Map<String, Object> map) {
        if (map == null || map instanceof FrozenMap) {
            return map;
        }
        return freezeMap(map, "metadata", 1);
    }

    /** The number of UTF-8 bytes of {@code map} as JSON. */
    public static int jsonSize(Map<String, Object> map) {
        try {
            return MAPPER.writeValueAsBytes(map).length;
        } catch (JsonProcessingException e) {
            throw new InvalidMessageException("metadata", "metadata cannot be written as JSON: " + e.getOriginalMessage());
        }
    }

    /**
     * Checks that {@code text} can be stored verbatim by every supported database: no NUL character
     * (PostgreSQL's text and JSON types cannot hold U+0000) and no unpaired surrogate (which has no
     * UTF-8 form and would be stored as '?').
     *
     * @throws InvalidMessageException naming {@code field}
     */
    public static String requireStorable(String field, String text) {
        for (int i = 0, n = text.length(); i < n; i++) {
            char c = text.charAt(i);
            if (c == '\u0000') {
                throw new InvalidMessageException(fieldOf(field), field + " must not contain the NUL character (U+0000), but has one at index " + i);
            }
            if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new InvalidMessageException(fieldOf(field),
                        field + " must be well-formed Unicode, but has an unpaired surrogate at index " + i);
            }
        }
        return text;
    }

    /** Metadata nested deeper than {@link #MAX_DEPTH} is refused before it overflows the stack. */
    private static void requireDepth(int depth) {
        if (depth > MAX_DEPTH) {
            throw new InvalidMessageException("metadata", "metadata must not nest deeper than " + MAX_DEPTH + " levels");
        }
    }

    /** The wire field a path such as {@code metadata.files[2]} belongs to. */
    private static String fieldOf(String path) {
        return path.startsWith("metadata") ? "metadata" : path;
    }

    /** How deep metadata may nest maps and lists: deep enough for any real use, shallow enough for any parser. */
    public static final int MAX_DEPTH = 100;

    private static Map<String, Object> freezeMap(Map<?, ?> map, String path, int depth) {
        requireDepth(depth);
        LinkedHashMap<String, Object> copy = new LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            if (!(entry.getKey() instanceof String key)) {
                throw new InvalidMessageException("metadata",
                        path + " must have string keys, but has key " + entry.getKey());
            }
            requireStorable(path + " key", key);
            copy.put(key, freeze(entry.getValue(), path + "." + key, depth));
        }
        return new FrozenMap(copy);
    }

    private static Object freeze(Object value, String path, int depth) {
        if (value instanceof String text) {
            return requireStorable(path, text);
        }
        if (value == null || value instanceof Boolean || value instanceof Long) {
            return value;
        }
        // Numbers are normalised so that metadata reads back the same from every store, whatever
        // its JSON parser makes of them: whole numbers as Long, others as Double.
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof BigInteger big) {
            return big.bitLength() < 64 ? (Object) big.longValue() : big;
        }
        if (value instanceof Double || value instanceof Float || value instanceof BigDecimal) {
            double d = ((Number) value).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new InvalidMessageException("metadata", path + " must be a finite number, but was " + value);
            }
            return d;
        }
        if (value instanceof FrozenMap) {
            return value;
        }
        if (value instanceof Map<?, ?> map) {
            return freezeMap(map, path, depth + 1);
        }
        if (value instanceof Collection<?> collection) {
            requireDepth(depth + 1);
            List<Object> copy = new ArrayList<>(collection.size());
            int i = 0;
            for (Object element : collection) {
                copy.add(freeze(element, path + "[" + i++ + "]", depth + 1));
            }
            return Collections.unmodifiableList(copy);
        }
        if (value instanceof CharSequence chars) {
            return requireStorable(path, chars.toString());
        }
        try {
            return freeze(MAPPER.convertValue(value, Object.class), path, depth);
        } catch (IllegalArgumentException e) {
            throw new InvalidMessageException("metadata", path + " cannot be written as JSON: " + e.getMessage());
        }
    }

    /** An unmodifiable map marking values already copied, so records need not copy them again. */
    private static final class FrozenMap extends AbstractMap<String, Object> {
        private final Map<String, Object> entries;

        FrozenMap(LinkedHashMap<String, Object> entries) {
            this.entries = entries;
        }

        @Override
        public Set<Entry<String, Object>> entrySet() {
            return Collections.unmodifiableMap(entries).entrySet();
        }

        @Override
        public Object get(Object key) {
            return entries.get(key);
        }

        @Override
        public boolean containsKey(Object key) {
            return entries.containsKey(key);
        }

        @Override
        public int size() {
            return entries.size();
        }
    }
}
