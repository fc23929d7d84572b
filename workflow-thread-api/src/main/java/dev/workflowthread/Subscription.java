package dev.workflowthread;

/** A registered {@link ThreadListener}. Closing it stops deliveries; an event being delivered finishes. */
public interface Subscription extends AutoCloseable {

    /** Stops deliveries. Idempotent; it throws no checked exception. */
    @Override
    void close();
}
