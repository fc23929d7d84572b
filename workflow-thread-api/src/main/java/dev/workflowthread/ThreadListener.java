package dev.workflowthread;

/**
 * Receives the events of workflow threads; register one with
 * {@link WorkflowMessages#subscribe(long, long, ThreadListener)} or
 * {@link WorkflowMessages#subscribeAll(ThreadListener)}.
 *
 * <p>Threading contract:
 * <ul>
 *   <li>Called on the configured listener executor, never on the thread that wrote the message,
 *       and only after the store committed the write.</li>
 *   <li>One subscription's calls never overlap, and arrive per workflow in {@code seq} order, each
 *       event once.</li>
 *   <li>A listener that is slow delays only its own subscription. One that throws is logged with
 *       the exception, and the event counts as delivered; the next event follows.</li>
 * </ul>
 */
@FunctionalInterface
public interface ThreadListener {

    /**
     * Called once per event, as described above.
     *
     * @param event what happened
     */
    void onEvent(ThreadEvent event);
}
