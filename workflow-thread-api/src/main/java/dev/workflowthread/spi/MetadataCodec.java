package dev.workflowthread.spi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.workflowthread.InvalidMessageException;
import dev.workflowthread.WorkflowThreadConfig;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
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
     * @param metadata a JSON object, or null
     * @return the JSON text, or null
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
            throw new InvalidMessageException("metadata", InvalidMessageException.Reason.MALFORMED,
                    "metadata cannot be written as JSON: " + e.getOriginalMessage());
        }
    }

    /**
     * The metadata {@code json} holds, as {@link #immutableCopy} makes it (numbers normalised, so
     * it reads back the same from every store), or null for null (and for the JSON text {@code null}).
     *
     * @param json the JSON text of an object, or null
     * @return an unmodifiable copy of the object, or null
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
     * <p>What it takes is what every store can read back with the library's JSON reader: keys of
     * at most {@link StreamReadConstraints#getMaxNameLength()} characters, whole numbers of at most
     * {@link StreamReadConstraints#getMaxNumberLength()} digits, at most {@link #MAX_DEPTH} levels
     * (also where a frozen map, say a stored message's metadata, is nested in new metadata), and
     * never more than {@link WorkflowThreadConfig#MAX_CONTENT_BYTES} as JSON, which it tells while
     * it copies, so that a list holding the same list many times over is refused before it is
     * expanded.
     *
     * @param map a JSON object, or null
     * @return the unmodifiable copy, or null
     * @throws InvalidMessageException naming {@code metadata}, with the path of the value in its
     *                                 message, for a value JSON cannot hold (NaN, infinity,
     *                                 {@code byte[]}, a {@code ByteBuffer}, a record or any other
     *                                 object, a Jackson POJO or binary node, a map or list that
     *                                 contains itself), or beyond the limits above
     */
    public static Map<String, Object> immutableCopy(Map<String, Object> map) {
        if (map == null || map instanceof FrozenMap) {
            return map;
        }
        return freezeMap(map, "metadata", 1, new Walk());
    }

    /**
     * The number of UTF-8 bytes of {@code map} as JSON.
     *
     * @param map a JSON object
     * @return the size of its JSON text in UTF-8 bytes ({@code 4} for null, the text {@code null})
     * @throws InvalidMessageException naming {@code metadata}, for a value JSON cannot hold
     */
    public static int jsonSize(Map<String, Object> map) {
        try {
            return MAPPER.writeValueAsBytes(map).length;
        } catch (JsonProcessingException e) {
            throw new InvalidMessageException("metadata", InvalidMessageException.Reason.MALFORMED,
                    "metadata cannot be written as JSON: " + e.getOriginalMessage());
        }
    }

    /**
     * Checks that {@code text} can be stored verbatim by every supported database: no NUL character
     * (PostgreSQL's text and JSON types cannot hold U+0000) and no unpaired surrogate (which has no
     * UTF-8 form and would be stored as '?').
     *
     * @param field the name of the text, for the exception; a path that starts with
     *              {@code metadata} is named {@code metadata} as the field, with the path in the
     *              message
     * @param text  the text, not null
     * @return {@code text}
     * @throws InvalidMessageException naming {@code field}, {@link InvalidMessageException.Reason#MALFORMED},
     *                                 with the index of the first character no store keeps
     */
    public static String requireStorable(String field, String text) {
        for (int i = 0, n = text.length(); i < n; i++) {
            char c = text.charAt(i);
            if (c == '\u0000') {
                throw new InvalidMessageException(fieldOf(field), InvalidMessageException.Reason.MALFORMED,
                        field + " must not contain the NUL character (U+0000), but has one at index " + i);
            }
            if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new InvalidMessageException(fieldOf(field), InvalidMessageException.Reason.MALFORMED,
                        field + " must be well-formed Unicode, but has an unpaired surrogate at index " + i);
            }
        }
        return text;
    }

    /** Metadata nested deeper than {@link #MAX_DEPTH} is refused before it overflows the stack. */
    private static void requireDepth(int depth) {
        if (depth > MAX_DEPTH) {
            throw new InvalidMessageException("metadata", InvalidMessageException.Reason.TOO_DEEP,
                    "metadata must not nest deeper than " + MAX_DEPTH + " levels");
        }
    }

    /** The wire field a path such as {@code metadata.files[2]} belongs to. */
    private static String fieldOf(String path) {
        return path.startsWith("metadata") ? "metadata" : path;
    }

    /**
     * How deep metadata may nest maps and lists: 31 levels, the most MariaDB's JSON columns take
     * (their {@code JSON_VALID} check refuses a 32nd), so that every store keeps what one keeps.
     */
    public static final int MAX_DEPTH = 31;

    /** The reader's limits, which every stored value must keep so that every store reads it back. */
    private static final StreamReadConstraints READ_LIMITS = MAPPER.getFactory().streamReadConstraints();

    /**
     * One copy's walk: the containers it is inside (a map or list that contains itself has no JSON
     * form; say so rather than overflow the stack), and a lower bound of the JSON's size so far.
     */
    private static final class Walk {
        private final Set<Object> enclosing = Collections.newSetFromMap(new IdentityHashMap<>());
        private long bytes;

        void enter(Object container, String path) {
            if (!enclosing.add(container)) {
                throw new InvalidMessageException("metadata", InvalidMessageException.Reason.MALFORMED,
                        path + " contains itself, which JSON cannot hold");
            }
        }

        void leave(Object container) {
            enclosing.remove(container);
        }

        /** Counts at least {@code count} bytes of JSON; refuses what no configuration would store. */
        void count(long count, String path) {
            bytes += count;
            if (bytes > WorkflowThreadConfig.MAX_CONTENT_BYTES) {
                throw new InvalidMessageException("metadata", InvalidMessageException.Reason.TOO_LARGE, "metadata must be at most "
                        + WorkflowThreadConfig.MAX_CONTENT_BYTES + " bytes as JSON, but is more by " + path);
            }
        }
    }

    private static Map<String, Object> freezeMap(Map<?, ?> map, String path, int depth, Walk walk) {
        requireDepth(depth);
        walk.enter(map, path);
        LinkedHashMap<String, Object> copy = new LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            if (!(entry.getKey() instanceof String key)) {
                throw new InvalidMessageException("metadata", InvalidMessageException.Reason.WRONG_TYPE,
                        path + " must have string keys, but has key " + entry.getKey());
            }
            copy.put(key(key, path, walk), freeze(entry.getValue(), path + "." + key, depth, walk));
        }
        walk.leave(map);
        return new FrozenMap(copy);
    }

    private static List<Object> freezeList(Collection<?> collection, String path, int depth, Walk walk) {
        requireDepth(depth);
        walk.enter(collection, path);
        List<Object> copy = new ArrayList<>(Math.min(collection.size(), 1024));
        int i = 0;
        for (Object element : collection) {
            copy.add(freeze(element, path + "[" + i++ + "]", depth, walk));
        }
        walk.leave(collection);
        return Collections.unmodifiableList(copy);
    }

    /** A Jackson tree, walked as a map or list is (so with the same checks, and no stack overflow). */
    private static Object freezeNode(JsonNode node, String path, int depth, Walk walk) {
        if (node.isObject()) {
            requireDepth(depth + 1);
            walk.enter(node, path);
            LinkedHashMap<String, Object> copy = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                copy.put(key(entry.getKey(), path, walk),
                        freezeNode(entry.getValue(), path + "." + entry.getKey(), depth + 1, walk));
            }
            walk.leave(node);
            return new FrozenMap(copy);
        }
        if (node.isArray()) {
            requireDepth(depth + 1);
            walk.enter(node, path);
            List<Object> copy = new ArrayList<>(Math.min(node.size(), 1024));
            for (int i = 0; i < node.size(); i++) {
                copy.add(freezeNode(node.get(i), path + "[" + i + "]", depth + 1, walk));
            }
            walk.leave(node);
            return Collections.unmodifiableList(copy);
        }
        if (node.isTextual()) {
            return freeze(node.textValue(), path, depth, walk);
        }
        if (node.isNumber()) {
            return freeze(node.numberValue(), path, depth, walk);
        }
        if (node.isBoolean()) {
            return freeze(node.booleanValue(), path, depth, walk);
        }
        if (node.isNull() || node.isMissingNode()) {
            return freeze(null, path, depth, walk);
        }
        // POJO and binary nodes: a Java object or bytes in a tree, which JSON has no value for.
        throw new InvalidMessageException("metadata", InvalidMessageException.Reason.WRONG_TYPE,
                path + " must be a JSON value, but was a Jackson "
                + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + " node");
    }

    /** A key: a storable string no longer than the reader takes. */
    private static String key(String key, String path, Walk walk) {
        requireStorable(path + " key", key);
        if (key.length() > READ_LIMITS.getMaxNameLength()) {
            throw new InvalidMessageException("metadata", InvalidMessageException.Reason.TOO_LARGE, path + " has a key of " + key.length()
                    + " characters; keys may have at most " + READ_LIMITS.getMaxNameLength());
        }
        walk.count(key.length() + 3L, path);
        return key;
    }

    private static Object freeze(Object value, String path, int depth, Walk walk) {
        walk.count(1, path);
        if (value instanceof String text) {
            walk.count(text.length() + 1L, path);
            return requireStorable(path, text);
        }
        if (value == null || value instanceof Boolean || value instanceof Long) {
            return value;
        }
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof BigInteger big) {
            return whole(big, path, walk);
        }
        if (value instanceof BigDecimal decimal && decimal.signum() == 0) {
            return 0L;
        }
        if (value instanceof BigDecimal decimal && decimal.stripTrailingZeros().scale() <= 0) {
            // Exactly, when it has no more digits than the reader takes; 1E+1000000000 is refused
            // from its precision and scale, before it is expanded to a billion digits.
            BigDecimal stripped = decimal.stripTrailingZeros();
            long digits = (long) stripped.precision() - stripped.scale();
            if (digits > READ_LIMITS.getMaxNumberLength()) {
                throw tooManyDigits(path, digits);
            }
            return whole(stripped.toBigIntegerExact(), path, walk);
        }
        if (value instanceof Double || value instanceof Float || value instanceof BigDecimal) {
            return fromDouble(((Number) value).doubleValue(), value, path);
        }
        // A frozen map nested here (a stored message's metadata, quoted) is copied again, so that
        // its depth counts from here.
        if (value instanceof Map<?, ?> map) {
            return freezeMap(map, path, depth + 1, walk);
        }
        if (value instanceof Collection<?> collection) {
            return freezeList(collection, path, depth + 1, walk);
        }
        if (value instanceof CharSequence chars) {
            return freeze(chars.toString(), path, depth, walk);
        }
        if (value instanceof JsonNode node) {
            return freezeNode(node, path, depth, walk);
        }
        throw new InvalidMessageException("metadata", InvalidMessageException.Reason.WRONG_TYPE,
                path + " must be a JSON value (a string, a number, true or false,"
                + " null, a map with string keys or a list), but was a " + value.getClass().getTypeName());
    }

    /*
     * Numbers are normalised so that metadata reads back the same from every store, whatever its
     * JSON type makes of them: PostgreSQL's jsonb and H2 keep a number as a decimal (no -0.0, and
     * 1.0E7 comes back as 10000000), MariaDB keeps the text. So a whole number is a Long (a
     * BigInteger beyond a long's range) however it was written (2.0 is 2, -0.0 is 0), and any other
     * number the nearest finite Double.
     */

    private static Object whole(BigInteger big, String path, Walk walk) {
        if (big.bitLength() < 64) {
            return big.longValue();
        }
        // 3.33 bits a digit: look at the digits only when the bits say there may be too many.
        if (big.bitLength() > 3 * READ_LIMITS.getMaxNumberLength()) {
            int digits = big.abs().toString().length();
            if (digits > READ_LIMITS.getMaxNumberLength()) {
                throw tooManyDigits(path, digits);
            }
        }
        walk.count(big.bitLength() / 4, path);
        return big;
    }

    private static InvalidMessageException tooManyDigits(String path, long digits) {
        return new InvalidMessageException("metadata", InvalidMessageException.Reason.TOO_LARGE, path + " is a number of " + digits + " digits; numbers may have"
                + " at most " + READ_LIMITS.getMaxNumberLength());
    }

    private static Object fromDouble(double d, Object value, String path) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            throw new InvalidMessageException("metadata", InvalidMessageException.Reason.MALFORMED,
                    path + " must be a finite number, but was " + value);
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
