package dev.workflowthread.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.workflowthread.spi.Backoff;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** How long the store's polling loops wait after failed rounds. */
class FailedRoundsBackoffTest {

    @Test
    void aFailedRoundWaitsUpToTwiceThePollIntervalThenDoublesUpToTheCap() {
        Backoff backoff = ChangeWatcher.afterFailedRounds(Duration.ofMillis(100), Duration.ofSeconds(2));
        assertThat(backoff.ceiling(1)).isEqualTo(Duration.ofMillis(200));
        assertThat(backoff.ceiling(2)).isEqualTo(Duration.ofMillis(400));
        assertThat(backoff.ceiling(10)).isEqualTo(Duration.ofSeconds(2));
        assertThat(backoff.delay(1)).isBetween(Duration.ofMillis(100), Duration.ofMillis(200));
    }

    @Test
    void aLoopThatPollsLessOftenThanTheCapKeepsItsPaceWhenItFails() {
        Backoff backoff = ChangeWatcher.afterFailedRounds(Duration.ofMinutes(1), Duration.ofSeconds(2));
        assertThat(backoff.ceiling(1)).isEqualTo(Duration.ofMinutes(1));
        assertThat(backoff.ceiling(20)).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void aCapBetweenOnceAndTwiceThePollIntervalIsTheFirstCeiling() {
        Backoff backoff = ChangeWatcher.afterFailedRounds(Duration.ofSeconds(1), Duration.ofMillis(1_500));
        assertThat(backoff.ceiling(1)).isEqualTo(Duration.ofMillis(1_500));
    }
}
