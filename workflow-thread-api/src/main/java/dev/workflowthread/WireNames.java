package dev.workflowthread;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Parsing of the lower-case wire names shared by the enums of the model. A wire name matches
 * exactly, as documented ({@code "pause"}): no case folding at all, so neither {@code "PAUSE"} nor a
 * look-alike that Unicode case folding would turn into one ({@code "pau\u017Fe"} with a long s,
 * {@code "\u0131nstruction"} with a dotless i) is a pause or an instruction.
 */
final class WireNames {
    private WireNames() {
    }

    static <E extends Enum<E>> E parse(Class<E> type, E[] values, String value, String field) {
        if (value == null) {
            throw new InvalidMessageException(field, InvalidMessageException.Reason.MISSING, field + " must not be null");
        }
        for (E candidate : values) {
            if (wireName(candidate).equals(value)) {
                return candidate;
            }
        }
        String allowed = Arrays.stream(values).map(WireNames::wireName).collect(Collectors.joining(", "));
        throw new InvalidMessageException(field, InvalidMessageException.Reason.UNKNOWN_VALUE,
                field + " must be one of [" + allowed + "] (lower case, exactly), but was '" + value + "'");
    }

    /** The wire name of an enum constant: its name in lower case (ASCII only, so in any locale). */
    static String wireName(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
