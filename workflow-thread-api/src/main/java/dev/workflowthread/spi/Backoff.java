package dev.workflowthread.spi;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * How long to wait before trying again after failures in a row: the first delay doubled for each
 * further failure up to a cap, with equal jitter (a delay is drawn uniformly between half of that
 * and all of it), so that processes failing at the same moment do not all come back at once.
 * Immutable; the caller counts its failures and starts again from one after a success.
 *
 * <pre>{@code
 * Backoff backoff = Backoff.exponential(Duration.ofMillis(50), Duration.ofSeconds(2));
 * Duration wait = backoff.delay(failuresInARow); // 25-50 ms, then 50-100 ms, ... at most 2 s
 * }</pre>
 */
public final class Backoff {
    /** Doubling stops here: 2^30 times the first delay is past any sensible cap. */
    private static final int MAX_DOUBLINGS = 30;

    private final long firstNanos;
    private final long maxNanos;

    private Backoff(long firstNanos, long maxNanos) {
        this.firstNanos = firstNanos;
        this.maxNanos = maxNanos;
    }

    /**
     * A back-off whose ceiling is {@code first} after one failure and doubles with each further
     * one, up to {@code max}.
     *
     * @param first the ceiling after one failure; positive
     * @param max   the highest ceiling; at least {@code first}
     * @return the back-off
     * @throws NullPointerException     when {@code first} or {@code max} is null
     * @throws IllegalArgumentException when {@code first} is not positive or {@code max} is less
     *                                  than {@code first}
     */
    public static Backoff exponential(Duration first, Duration max) {
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(max, "max");
        if (first.isNegative() || first.isZero()) {
            throw new IllegalArgumentException("first must be positive, but was " + first);
        }
        if (max.compareTo(first) < 0) {
            throw new IllegalArgumentException("max must be at least first (" + first + "), but was " + max);
        }
        return new Backoff(first.toNanos(), max.toNanos());
    }

    /**
     * The ceiling of the delay after {@code failures} failures in a row, without jitter.
     *
     * @param failures the failures in a row so far, at least one
     * @return {@code first} doubled {@code failures - 1} times, at most {@code max}
     * @throws IllegalArgumentException when {@code failures} is less than one
     */
    public Duration ceiling(long failures) {
        if (failures < 1) {
            throw new IllegalArgumentException("failures must be at least 1, but was " + failures);
        }
        int doublings = (int) Math.min(failures - 1, MAX_DOUBLINGS);
        long nanos = firstNanos > (maxNanos >> doublings) ? maxNanos : firstNanos << doublings;
        return Duration.ofNanos(Math.min(maxNanos, nanos));
    }

    /**
     * How long to wait after {@code failures} failures in a row: from half the {@link #ceiling}
     * to all of it, drawn anew on each call.
     *
     * @param failures the failures in a row so far, at least one
     * @return the delay, drawn uniformly between half the ceiling and the ceiling
     * @throws IllegalArgumentException when {@code failures} is less than one
     */
    public Duration delay(long failures) {
        long ceiling = ceiling(failures).toNanos();
        long half = ceiling / 2;
        return Duration.ofNanos(half + ThreadLocalRandom.current().nextLong(ceiling - half + 1));
    }

    /**
     * Waits {@link #delay(long) delay(failures)}, as a retry loop does before its next try.
     *
     * @param failures the failures in a row so far, at least one
     * @return true after the wait; false when the thread was interrupted meanwhile (its interrupt
     *         flag is set again)
     * @throws IllegalArgumentException when {@code failures} is less than one
     */
    public boolean sleepAfter(long failures) {
        return sleep(delay(failures));
    }

    /**
     * Waits {@code delay}.
     *
     * @param delay how long to wait; zero or negative does not wait
     * @return true after the wait; false when the thread was interrupted meanwhile (its interrupt
     *         flag is set again)
     */
    public static boolean sleep(Duration delay) {
        try {
            TimeUnit.NANOSECONDS.sleep(delay.toNanos());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public String toString() {
        return "Backoff[first=" + Duration.ofNanos(firstNanos) + ", max=" + Duration.ofNanos(maxNanos) + "]";
    }
}
