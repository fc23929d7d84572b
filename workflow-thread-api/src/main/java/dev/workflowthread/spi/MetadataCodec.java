package dev.workflowthread.spi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.workflowthread.InvalidMessageException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Metadata as the library keeps it: deep, unmodifiable copies of JSON objects
 * ({@link #immutableCopy}), which {@link dev.workflowthread.Message} and {@link NewMessage} hold,
 * and their JSON text ({@link #toJson}, {@link #fromJson}) for a store that keeps metadata as
 * text. A store needs nothing else of the library to store and read metadata back as every other
 * store does. Thread-safe; stateless. Jackson is how it is done, not part of what it offers.
 */
public final class MetadataCodec {

    /** Configured once, never handed out; ObjectMapper is thread-safe after configuration. */
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final TypeReference<LinkedHashMap<String, Object>> JSON_OBJECT = new TypeReference<>() {
    };

    private MetadataCodec() {
    }

    /**
     * {@code metadata} as JSON text (an object, keys in the map's order), or null for null.
     *
     * @throws InvalidMessageException naming {@code metadata}, for a value JSON cannot hold (a
     *                                 map copied by {@link #immutableCopy} holds none)
     */
    public static String toJson(Map<String, Object> metadata) {
        if (metadata == null) {
            return null;
        }
        try {
            return MAPPER.writeValueAsString(metadata);
        } catch (JsonProcessingException e) {
            throw new InvalidMessageException("metadata", "metadata cannot be written as JSON: " + e.getOriginalMessage());
        }
    }

    /**
     * The metadata {@code json} holds, as {@link #immutableCopy} makes it (numbers normalised, so
     * it reads back the same from every store), or null for null (and for the JSON text {@code null}).
     *
     * @throws IllegalArgumentException when {@code json} is not exactly one JSON object
     * @throws InvalidMessageException   naming {@code metadata}, for an object no message may hold
     *                                   (see {@link #immutableCopy})
     */
    public static Map<String, Object> fromJson(String json) {
        if (json == null) {
            return null;
        }
        Map<String, Object> map;
        try {
            map = MAPPER.readValue(json, JSON_OBJECT);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("metadata is not a JSON object: " + e.getOriginalMessage(), e);
        }
        return immutableCopy(map);
    }

    /**
     * Copies a JSON object into an unmodifiable map whose values are strings, longs (whole
     * numbers; {@link BigInteger} beyond a long), doubles, booleans, null, lists and maps, keeping
     * key order. It takes only JSON's own values: strings (any {@link CharSequence}), the JDK's
     * {@code Byte}, {@code Short}, {@code Integer}, {@code Long}, {@code BigInteger}, {@code Float},
     * {@code Double} and {@code BigDecimal}, booleans, null, maps with string keys, collections,
     * and Jackson trees ({@link JsonNode}). Numbers are normalised as every store reads them back:
     * a whole number as a Long (a BigInteger beyond a long's range) however it was written
     * ({@code 2.0} is {@code 2}, {@code -0.0} is {@code 0}), any other as the nearest finite
     * Double. Returns null for null, and an already frozen map as it is.
     *
     * @throws InvalidMessageException naming {@code metadata}, with the path of the value in its
     *                                 message, for a value JSON cannot hold (NaN, infinity,
     *                                 {@code byte[]}, a {@code ByteBuffer}, a record or any other
     *                                 object, a map or list that contains itself)
     */
    public static Map<String, Object> immutableCopy(Map<String, Object> map) {
        if (map == null || map instanceof FrozenMap) {
            return map;
        }
        return freezeMap(map, "metadata", 1, Collections.newSetFromMap(new IdentityHashMap<>()));
    }

    /**
     * The number of UTF-8 bytes of {@code map} as JSON.
     *
     * @throws InvalidMessageException naming {@code metadata}, for a value JSON cannot hold
     */
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

    private static Map<String, Object> freezeMap(Map<?, ?> map, String path, int depth, Set<Object> enclosing) {
        requireDepth(depth);
        enter(map, path, enclosing);
        LinkedHashMap<String, Object> copy = new LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            if (!(entry.getKey() instanceof String key)) {
                throw new InvalidMessageException("metadata",
                        path + " must have string keys, but has key " + entry.getKey());
            }
            requireStorable(path + " key", key);
            copy.put(key, freeze(entry.getValue(), path + "." + key, depth, enclosing));
        }
        enclosing.remove(map);
        return new FrozenMap(copy);
    }

    private static List<Object> freezeList(Collection<?> collection, String path, int depth, Set<Object> enclosing) {
        requireDepth(depth);
        enter(collection, path, enclosing);
        List<Object> copy = new ArrayList<>(collection.size());
        int i = 0;
        for (Object element : collection) {
            copy.add(freeze(element, path + "[" + i++ + "]", depth, enclosing));
        }
        enclosing.remove(collection);
        return Collections.unmodifiableList(copy);
    }

    /** A map or list that contains itself has no JSON form; say so rather than overflow the stack. */
    private static void enter(Object container, String path, Set<Object> enclosing) {
        if (!enclosing.add(container)) {
            throw new InvalidMessageException("metadata", path + " contains itself, which JSON cannot hold");
        }
    }

    private static Object freeze(Object value, String path, int depth, Set<Object> enclosing) {
        if (value instanceof String text) {
            return requireStorable(path, text);
        }
        if (value == null || value instanceof Boolean || value instanceof Long) {
            return value;
        }
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof BigInteger big) {
            return whole(big);
        }
        if (value instanceof BigDecimal decimal && decimal.stripTrailingZeros().scale() <= 0
                && decimal.abs().compareTo(LONG_RANGE) < 0) {
            // A whole BigDecimal beyond a long's range goes the double's way below, so that 1E+1000000000
            // is not expanded to a billion digits.
            return decimal.longValueExact();
        }
        if (value instanceof Double || value instanceof Float || value instanceof BigDecimal) {
            return fromDouble(((Number) value).doubleValue(), value, path);
        }
        if (value instanceof FrozenMap) {
            return value;
        }
        if (value instanceof Map<?, ?> map) {
            return freezeMap(map, path, depth + 1, enclosing);
        }
        if (value instanceof Collection<?> collection) {
            return freezeList(collection, path, depth + 1, enclosing);
        }
        if (value instanceof CharSequence chars) {
            return requireStorable(path, chars.toString());
        }
        if (value instanceof JsonNode node) {
            // A Jackson tree is JSON already: its plain Java form (binary and POJO nodes are refused there).
            return freeze(MAPPER.convertValue(node, Object.class), path, depth, enclosing);
        }
        throw new InvalidMessageException("metadata", path + " must be a JSON value (a string, a number, true or false,"
                + " null, a map with string keys or a list), but was a " + value.getClass().getTypeName());
    }

    /*
     * Numbers are normalised so that metadata reads back the same from every store, whatever its
     * JSON type makes of them: PostgreSQL's jsonb and H2 keep a number as a decimal (no -0.0, and
     * 1.0E7 comes back as 10000000), MariaDB keeps the text. So a whole number is a Long (a
     * BigInteger beyond a long's range) however it was written (2.0 is 2, -0.0 is 0), and any other
     * number the nearest finite Double.
     */

    private static final BigDecimal LONG_RANGE = BigDecimal.valueOf(2).pow(63);

    private static Object whole(BigInteger big) {
        return big.bitLength() < 64 ? (Object) big.longValue() : big;
    }

    private static Object fromDouble(double d, Object value, String path) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            throw new InvalidMessageException("metadata", path + " must be a finite number, but was " + value);
        }
        if (d != Math.rint(d)) {
            return d;
        }
        if (d >= -0x1p63 && d < 0x1p63) {
            return (long) d; // -0.0 too: 0
        }
        // As the decimal the double is written as, which is what the stores keep.
        return new BigDecimal(Double.toString(d)).toBigIntegerExact();
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
