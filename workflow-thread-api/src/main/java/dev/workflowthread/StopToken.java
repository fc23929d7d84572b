package dev.workflowthread;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Tells the step in progress that it should end early: for its workflow, a cancel or a redirect
 * was sent, an urgent message ({@code metadata.delivery = "interrupt"}) arrived, the workflow
 * finished, or the service was closed. Get it from {@link CheckpointGuard#stopToken()} after a {@link CheckpointGuard#check()}.
 *
 * <p>A token fires at most once, at once in the JVM that sent the message, and from another
 * process within the store's wake-up bound (a PostgreSQL notification; the change poll
 * elsewhere). Firing applies nothing: the next {@code check()} applies the cancel or redirect,
 * or hands the urgent message over, exactly once, as it would without the token. So an agent
 * that ignores the token behaves as before, only later.
 *
 * <pre>{@code
 * Checkpoint checkpoint = guard.check();
 * StopToken token = guard.stopToken();
 * CompletableFuture<String> answer = model.generateAsync(prompt);
 * token.onStop(reason -> answer.cancel(true));     // cut the model call short
 * String text = answer.join();                      // throws CancellationException when cut short
 * }</pre>
 *
 * <p>Thread-safe: the step's thread polls it while the library fires it from another thread.
 */
public interface StopToken {

    /**
     * Whether the step should end early. One volatile read: as cheap as a quiet {@code check()}.
     *
     * @return true once the token fired
     */
    boolean isStopRequested();

    /**
     * Why the token fired.
     *
     * @return the reason, or empty while it has not fired
     */
    Optional<StopReason> reason();

    /**
     * Throws when the token fired, so a step's own loop can end with one line.
     *
     * @throws StopRequestedException when the token fired; the agent loop catches it and calls
     *                                {@link CheckpointGuard#check()}, which applies what fired it
     */
    void throwIfStopRequested();

    /**
     * Runs {@code callback} when the token fires, on the thread that fires it (or at once on this
     * thread when it fired already). A callback that throws is logged and the others still run.
     * Keep it short: cancel a future, close a stream.
     *
     * @param callback what to run, given the reason
     * @return a subscription whose {@code close()} removes the callback
     * @throws InvalidArgumentException when {@code callback} is null
     */
    Subscription onStop(Consumer<StopReason> callback);

    /**
     * A future that completes with the reason when the token fires, to hand to a client that takes
     * a cancellation future. It never completes for a token whose step ended without a stop.
     * Cancelling or completing the returned future does not fire the token.
     *
     * @return a new future, completed already when the token fired
     */
    CompletableFuture<StopReason> whenStopped();
}
