package dev.workflowthread.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BackoffTest {
    private final Backoff backoff = Backoff.exponential(Duration.ofMillis(50), Duration.ofSeconds(2));

    @Test
    void theCeilingStartsAtTheFirstDelayAndDoublesUpToTheCap() {
        assertThat(backoff.ceiling(1)).isEqualTo(Duration.ofMillis(50));
        assertThat(backoff.ceiling(2)).isEqualTo(Duration.ofMillis(100));
        assertThat(backoff.ceiling(3)).isEqualTo(Duration.ofMillis(200));
        assertThat(backoff.ceiling(6)).isEqualTo(Duration.ofMillis(1_600));
        assertThat(backoff.ceiling(7)).isEqualTo(Duration.ofSeconds(2));
        assertThat(backoff.ceiling(1_000)).isEqualTo(Duration.ofSeconds(2));
        assertThat(backoff.ceiling(Long.MAX_VALUE)).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void eachDelayLiesBetweenHalfItsCeilingAndTheCeiling() {
        for (long failures = 1; failures <= 40; failures++) {
            Duration ceiling = backoff.ceiling(failures);
            for (int i = 0; i < 50; i++) {
                assertThat(backoff.delay(failures)).isBetween(ceiling.dividedBy(2), ceiling);
            }
        }
    }

    @Test
    void delaysAreJittered() {
        Set<Duration> drawn = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            drawn.add(backoff.delay(5));
        }
        assertThat(drawn).hasSizeGreaterThan(10);
    }

    @Test
    void countingFromOneAgainAfterASuccessStartsFromTheFirstDelayAgain() {
        assertThat(backoff.delay(12)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        assertThat(backoff.delay(1)).isBetween(Duration.ofMillis(25), Duration.ofMillis(50));
    }

    @Test
    void aCapEqualToTheFirstDelayNeverGrows() {
        Backoff flat = Backoff.exponential(Duration.ofMillis(10), Duration.ofMillis(10));
        assertThat(flat.ceiling(1)).isEqualTo(flat.ceiling(20)).isEqualTo(Duration.ofMillis(10));
    }

    @Test
    void sleepingWaitsAndAnInterruptEndsItEarlyWithTheFlagKept() {
        Backoff quick = Backoff.exponential(Duration.ofMillis(1), Duration.ofMillis(2));
        assertThat(quick.sleepAfter(3)).isTrue();
        Thread.currentThread().interrupt();
        try {
            assertThat(Backoff.sleep(Duration.ofMinutes(10))).isFalse();
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void badArgumentsAreRefusedNamingTheField() {
        assertThatThrownBy(() -> Backoff.exponential(Duration.ZERO, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("first must be positive, but was PT0S");
        assertThatThrownBy(() -> Backoff.exponential(Duration.ofMillis(-1), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("first must be positive");
        assertThatThrownBy(() -> Backoff.exponential(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("max must be at least first (PT2S), but was PT1S");
        assertThatThrownBy(() -> Backoff.exponential(null, Duration.ofSeconds(1)))
                .isInstanceOf(NullPointerException.class).hasMessage("first");
        assertThatThrownBy(() -> Backoff.exponential(Duration.ofSeconds(1), null))
                .isInstanceOf(NullPointerException.class).hasMessage("max");
        assertThatThrownBy(() -> backoff.delay(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("failures must be at least 1, but was 0");
        assertThatThrownBy(() -> backoff.sleepAfter(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("failures must be at least 1, but was 0");
        assertThatThrownBy(() -> backoff.ceiling(-3))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("failures must be at least 1, but was -3");
    }
}
