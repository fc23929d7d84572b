package dev.workflowthread.examples.agents;

import java.time.Duration;
import java.util.Objects;

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

    /** Waits one step (or a model call, or a tool run). */
    static void await(Duration duration) throws InterruptedException {
        if (!duration.isZero()) {
            Thread.sleep(duration.toMillis());
        }
    }

    private static void nonNegative(String name, Duration value) {
        Objects.requireNonNull(value, name + " must not be null");
        if (value.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, but was " + value);
        }
    }
}
