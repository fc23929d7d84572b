package dev.workflowthread.examples.agents;

import dev.workflowthread.StopToken;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * How long the simulated work takes: after each narrated step, for a model call, and for a run of
 * the pretend build or tests. {@link #HUMAN} lets a person follow and steer the run (a comment
 * every second or so, a few minutes in all); tests use a few milliseconds.
 *
 * @param step     after every narrated step
 * @param modelCall for one "Calling AI model for …"
 * @param toolRun  for one run of the build or the test suite
 */
public record Pace(Duration step, Duration modelCall, Duration toolRun) {

    /** Slow enough to read along and to press Pause: a hundred comments in about three minutes. */
    public static final Pace HUMAN = new Pace(Duration.ofMillis(1400), Duration.ofMillis(3500), Duration.ofMillis(2500));

    /** No waiting at all: the console demo and the unit tests. */
    public static final Pace INSTANT = new Pace(Duration.ZERO, Duration.ZERO, Duration.ZERO);

    public Pace {
        nonNegative("step", step);
        nonNegative("modelCall", modelCall);
        nonNegative("toolRun", toolRun);
    }

    /** Every wait {@code step} long; a model call and a tool run twice that. */
    public static Pace uniform(Duration step) {
        return new Pace(step, step.multipliedBy(2), step.multipliedBy(2));
    }

    /**
     * Waits one step (or a model call, or a tool run), or less when the step's stop token fires
     * first: a bounded wait on the token rather than a sleep, so that a cancel or an urgent
     * message cuts the pretend work short.
     *
     * @return true when the whole duration went by, false when the token cut it short
     */
    static boolean await(Duration duration, StopToken token) throws InterruptedException {
        if (token.isStopRequested()) {
            return false;
        }
        if (duration.isZero()) {
            return true;
        }
        try {
            token.whenStopped().get(duration.toNanos(), TimeUnit.NANOSECONDS);
            return false;
        } catch (TimeoutException done) {
            return true;
        } catch (ExecutionException e) {
            throw new IllegalStateException("a stop token's future completes with its reason only", e);
        }
    }

    private static void nonNegative(String name, Duration value) {
        Objects.requireNonNull(value, name + " must not be null");
        if (value.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, but was " + value);
        }
    }
}
