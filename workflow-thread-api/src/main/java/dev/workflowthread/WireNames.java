package dev.workflowthread;

import java.util.Arrays;
import java.util.stream.Collectors;

/** Parsing of the lower-case wire names shared by the enums of the model. */
final class WireNames {
    private WireNames() {
    }

    static <E extends Enum<E>> E parse(Class<E> type, E[] values, String value, String field) {
        if (value == null) {
            throw new InvalidMessageException(field, field + " must not be null");
        }
        for (E candidate : values) {
            if (candidate.name().equalsIgnoreCase(value)) {
                return candidate;
            }
        }
        String allowed = Arrays.stream(values)
                .map(v -> v.name().toLowerCase(java.util.Locale.ROOT))
                .collect(Collectors.joining(", "));
        throw new InvalidMessageException(field,
                field + " must be one of [" + allowed + "], but was '" + value + "'");
    }
}
