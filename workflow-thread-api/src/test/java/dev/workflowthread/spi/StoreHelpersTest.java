package dev.workflowthread.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.workflowthread.InvalidMessageException;
import dev.workflowthread.WorkflowState;
import dev.workflowthread.WorkflowStatus;
import java.math.BigInteger;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the SPI gives a store author so that no store needs the library's internals. */
class StoreHelpersTest {

    @Test
    void metadataReadsBackFromItsJsonAsEveryStoreReadsIt() {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("b", 2.0);
        metadata.put("a", List.of(1, "two", Map.of("x", true)));
        metadata.put("big", new BigInteger("123456789012345678901234567890"));
        metadata.put("none", null);

        String json = MetadataCodec.toJson(metadata);

        assertThat(json).isEqualTo("{\"b\":2.0,\"a\":[1,\"two\",{\"x\":true}],\"big\":123456789012345678901234567890,\"none\":null}");
        Map<String, Object> read = MetadataCodec.fromJson(json);
        assertThat(read).isEqualTo(MetadataCodec.immutableCopy(metadata));
        assertThat(read.get("b")).isEqualTo(2L);
        assertThat(read.keySet()).containsExactly("b", "a", "big", "none");
        assertThatThrownBy(() -> read.put("c", 1)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void nullIsNoMetadataAndOtherTextIsRefused() {
        assertThat(MetadataCodec.toJson(null)).isNull();
        assertThat(MetadataCodec.fromJson(null)).isNull();
        assertThat(MetadataCodec.fromJson("null")).isNull();
        assertThatThrownBy(() -> MetadataCodec.fromJson("[1]")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("metadata is not a JSON object");
        assertThatThrownBy(() -> MetadataCodec.fromJson("{\"a\":1} {}")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MetadataCodec.fromJson("{\"a\":\"\\u0000\"}"))
                .isInstanceOfSatisfying(InvalidMessageException.class, e -> assertThat(e.field()).isEqualTo("metadata"));
    }

    @Test
    void anUpdateAppliedIsTheNextVersionAtTheCommitsLastSeq() {
        Instant at = Instant.parse("2025-11-29T10:15:30.123456789Z");
        WorkflowState before = new WorkflowState(7, WorkflowStatus.RUNNING, false, null, null, null, null, null, 4, 2);
        StateUpdate update = StateUpdate.of(before).pauseRequested(at, "lunch").pausedAt(at);

        WorkflowState after = update.applyTo(before, 6);

        assertThat(after).isEqualTo(new WorkflowState(7, WorkflowStatus.PAUSED, true, at, "lunch", at, null, null, 6, 3));
        assertThat(update.truncatedTo(ChronoUnit.MILLIS).applyTo(before, 6).pausedAt())
                .isEqualTo(Instant.parse("2025-11-29T10:15:30.123Z"));
        assertThat(update.truncatedTo(ChronoUnit.MILLIS).applyTo(before, 6).pauseRequestedAt())
                .isEqualTo(Instant.parse("2025-11-29T10:15:30.123Z"));
        assertThat(StateUpdate.of(before).truncatedTo(ChronoUnit.MILLIS)).isEqualTo(StateUpdate.of(before));
    }

    @Test
    void aCommitThatOnlyAppendsKeepsTheVersion() {
        WorkflowState before = new WorkflowState(7, WorkflowStatus.RUNNING, false, null, null, null, null, null, 4, 2);

        assertThat(before.withLastSeq(5))
                .isEqualTo(new WorkflowState(7, WorkflowStatus.RUNNING, false, null, null, null, null, null, 5, 2));
    }
}
