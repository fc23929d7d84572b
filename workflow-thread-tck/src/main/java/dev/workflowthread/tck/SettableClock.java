package dev.workflowthread.tck;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock that stands still until told to move: for tests of leases and pause timeouts. Hand it
 * to {@code WorkflowThreadConfig.Builder.clock(..)}. Thread-safe.
 */
public final class SettableClock extends Clock {
    private final AtomicReference<Instant> now;

    /**
     * A clock that stands at {@code start} until it is set or advanced.
     *
     * @param start the instant the clock shows at first
     */
    public SettableClock(Instant start) {
        this.now = new AtomicReference<>(start);
    }

    /**
     * A clock at the current time, to the millisecond.
     *
     * @return a clock that shows the system time of this call until it is set or advanced
     */
    public static SettableClock atNow() {
        return new SettableClock(Instant.ofEpochMilli(System.currentTimeMillis()));
    }

    /**
     * Moves the clock to {@code instant}, forward or back.
     *
     * @param instant what the clock shows from now on
     */
    public void set(Instant instant) {
        now.set(instant);
    }

    /**
     * Moves the clock forward by {@code duration} (back, when it is negative).
     *
     * @param duration how far to move it
     */
    public void advance(Duration duration) {
        now.updateAndGet(current -> current.plus(duration));
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    @Override
    public long millis() {
        return now.get().toEpochMilli();
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("a SettableClock is always UTC");
    }
}
