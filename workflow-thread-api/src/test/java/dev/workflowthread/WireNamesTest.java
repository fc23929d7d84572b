package dev.workflowthread;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every wire-name enum parses its lower-case names exactly, and nothing else. */
class WireNamesTest {

    static Stream<Arguments> enums() {
        return Stream.of(
                Arguments.of("action_type", ActionType.values(), (Function<String, Enum<?>>) ActionType::fromWire),
                Arguments.of("message_type", MessageType.values(), (Function<String, Enum<?>>) MessageType::fromWire),
                Arguments.of("action_status", ActionStatus.values(), (Function<String, Enum<?>>) ActionStatus::fromWire),
                Arguments.of("status", WorkflowStatus.values(), (Function<String, Enum<?>>) WorkflowStatus::fromWire));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("enums")
    void eachNameParsesInLowerCaseOnlyAndLookAlikesAreRefused(String field, Enum<?>[] values,
                                                               Function<String, Enum<?>> fromWire) {
        for (Enum<?> value : values) {
            String wire = value.name().toLowerCase(Locale.ROOT);
            assertThat(fromWire.apply(wire)).isSameAs(value);
            for (String lookAlike : lookAlikes(wire)) {
                assertThatThrownBy(() -> fromWire.apply(lookAlike))
                        .as("'%s' for %s", lookAlike, wire)
                        .isInstanceOfSatisfying(InvalidMessageException.class, e -> {
                            assertThat(e.field()).isEqualTo(field);
                            assertThat(e.getMessage()).contains("'" + lookAlike + "'").contains(wire);
                        });
            }
        }
        assertThatThrownBy(() -> fromWire.apply(null))
                .isInstanceOfSatisfying(InvalidMessageException.class, e -> assertThat(e.field()).isEqualTo(field));
    }

    /** Upper and title case, and Unicode letters that case-fold to an ASCII s, i or k. */
    private static Stream<String> lookAlikesOf(String wire) {
        return Stream.of(wire.toUpperCase(Locale.ROOT),
                Character.toUpperCase(wire.charAt(0)) + wire.substring(1),
                wire.replace('s', '\u017F'),   // long s: "PAUſE".equalsIgnoreCase("pause")
                wire.replace('i', '\u0131'),   // dotless i
                wire.replace('k', '\u212A'),   // Kelvin sign
                wire.toUpperCase(Locale.forLanguageTag("tr")), // dotted capital I
                wire + " ");
    }

    private static java.util.List<String> lookAlikes(String wire) {
        return lookAlikesOf(wire).filter(s -> !s.equals(wire)).distinct().toList();
    }

    @Test
    void aPauseWithALongSOrAnInstructionWithADotlessIIsNotOne() {
        assertThatThrownBy(() -> ActionType.fromWire("pau\u017Fe")).isInstanceOf(InvalidMessageException.class);
        assertThatThrownBy(() -> ActionType.fromWire("\u0131nstruction")).isInstanceOf(InvalidMessageException.class);
        assertThat("pau\u017Fe".equalsIgnoreCase("pause")).as("what used to match").isTrue();
    }
}
