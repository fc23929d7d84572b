package dev.workflowthread;

import dev.workflowthread.internal.Observers;
import java.time.Duration;
import java.util.List;

/**
 * Told what a {@link WorkflowMessages} does, for meters and traces: sends, what checkpoints
 * apply and how long after the send, pauses, listener deliveries, store failures. Give one to
 * {@link WorkflowThreadConfig.Builder#observer}; {@code workflow-thread-micrometer} binds one to
 * Micrometer meters. Every method has a default that does nothing, so an observer implements
 * only what it needs.
 *
 * <p>Threading: methods are called on the thread that did the work (an agent loop's, a web
 * request's, a listener pool's, the store's), possibly on many threads at once, so an
 * implementation must be thread-safe, and must return quickly: it runs inside the caller's
 * call. An observer that throws is logged with the exception and the work goes on; it never
 * fails a send, a checkpoint or a delivery.
 */
public interface WorkflowThreadObserver {

    /**
     * Told once, when a {@link WorkflowMessages} with this observer is created: figures it can
     * read at any time, for gauges.
     *
     * @param gauges the live figures of that service
     */
    default void attached(Gauges gauges) {
    }

    /**
     * A person's message was stored by {@link WorkflowMessages#send} (not told for a send replayed
     * under its idempotency key, nor for one refused or invalid, which stores nothing).
     *
     * @param workflowId the workflow sent to
     * @param actionType what the message asks
     * @param taken      what sending did
     */
    default void messageSent(long workflowId, ActionType actionType, ActionTaken taken) {
    }

    /**
     * A checkpoint applied a person's message: a control message it committed (pause, resume,
     * cancel, redirect; processed, or ignored when it did not apply), or a comment or instruction
     * it handed over to the agent.
     *
     * @param workflowId the workflow
     * @param actionType what the message asked
     * @param outcome    {@link ActionStatus#PROCESSED} or {@link ActionStatus#IGNORED}, or
     *                   {@link ActionStatus#ACKNOWLEDGED} for an instruction handed over
     * @param sinceSent  the time from the message's {@code createdAt} to now, by the configured clock
     */
    default void messageApplied(long workflowId, ActionType actionType, ActionStatus outcome, Duration sinceSent) {
    }

    /**
     * A paused workflow stopped being paused: resumed, cancelled or redirected while paused, or
     * its pause timed out.
     *
     * @param workflowId the workflow
     * @param pausedFor  from the moment a checkpoint paused it until now
     */
    default void pauseEnded(long workflowId, Duration pausedFor) {
    }

    /**
     * A pause lasted longer than {@link WorkflowThreadConfig#pauseTimeout()}; told before the
     * outcome is committed (it may still lose a race with a resume or cancel).
     *
     * @param workflowId the workflow
     * @param outcome    what the configuration says happens now
     */
    default void pauseTimedOut(long workflowId, PauseTimeoutOutcome outcome) {
    }

    /**
     * A message was delivered to a listener (told once per listener and message, after the
     * listener returned). Messages committed before the subscription began (a replay) are not told.
     *
     * @param workflowId the message's workflow
     * @param lag        from the message's {@code createdAt} until the listener returned
     */
    default void listenerDelivered(long workflowId, Duration lag) {
    }

    /**
     * A listener threw on an event; the feed logged it and went on with the next event.
     *
     * @param workflowId the event's workflow
     * @param eventName  the event's wire name, e.g. {@code message:new}
     * @param failure    what the listener threw
     */
    default void listenerFailed(long workflowId, String eventName, Throwable failure) {
    }

    /**
     * The store tried an operation again after a transient failure (a deadlock, a serialization
     * failure). Told by stores that retry, such as the JDBC store given this observer.
     *
     * @param operation what the store was doing, e.g. {@code commit to workflow 7}
     * @param cause     what the failed attempt met
     */
    default void storeRetried(String operation, Throwable cause) {
    }

    /**
     * A store operation failed with a {@link StorageException} (an {@link OutcomeUnknownException}
     * included), which the caller gets as well.
     *
     * @param failure the exception; {@link StorageException#operation()} names the operation
     */
    default void storeFailed(StorageException failure) {
    }

    /**
     * The observer that does nothing: the default of {@link WorkflowThreadConfig}.
     *
     * @return the no-op observer
     */
    static WorkflowThreadObserver none() {
        return Observers.NONE;
    }

    /**
     * One observer that tells each of {@code observers}, in order; one that throws does not keep
     * the others from being told.
     *
     * @param observers the observers to tell
     * @return an observer telling all of them
     * @throws IllegalArgumentException when the list or one of its elements is null
     */
    static WorkflowThreadObserver all(List<? extends WorkflowThreadObserver> observers) {
        return Observers.all(observers);
    }

    /** Live figures of one {@link WorkflowMessages}, cheap to read, from any thread. */
    interface Gauges {

        /**
         * How many workflows this service watches now: those with a checkpoint or a
         * subscription of one workflow in this JVM.
         *
         * @return the number of watched workflows; 0 once the service is closed
         */
        int watchedWorkflows();

        /**
         * Whether the store tells this service of other processes' commits now. False for a store
         * that never does (then checkpoints poll it), and while a store that does has lost its
         * connection for hearing them (a PostgreSQL {@code LISTEN} connection down, a failing poll).
         *
         * @return whether other processes are heard
         */
        boolean hearingOtherProcesses();
    }
}
