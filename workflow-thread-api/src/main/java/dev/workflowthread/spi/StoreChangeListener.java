package dev.workflowthread.spi;

import java.util.Set;

/**
 * Told by a {@link ThreadStore} about committed changes. Called for one workflow in commit order
 * when the change was made through the same store object; changes a store finds made by other
 * processes may come later and may repeat one already told. Must return quickly and must not call
 * back into the store.
 */
@FunctionalInterface
public interface StoreChangeListener {

    void onChange(StoreChange change);

    /**
     * The workflows whose changes by other processes this listener needs to hear of (those with a
     * checkpoint or a subscription in this JVM). A store shared by several processes asks for
     * them from a thread of its own, about once per poll; they must be quick to compute.
     */
    default Set<Long> watchedWorkflows() {
        return Set.of();
    }

    /**
     * Told once when the store is closed while this listener is registered: nothing will be told
     * any more, so whatever trusts the store to tell it must now look at the store (and find it
     * closed).
     */
    default void storeClosed() {
    }
}
