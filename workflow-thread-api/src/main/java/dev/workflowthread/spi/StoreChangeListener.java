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

    /**
     * Told of a committed change.
     *
     * @param change the workflow, its version and {@code seq} range after the change
     */
    void onChange(StoreChange change);

    /**
     * The workflows whose changes by other processes this listener needs to hear of (those with a
     * checkpoint or a subscription in this JVM). A store shared by several processes asks for
     * them from a thread of its own, about once per poll; they must be quick to compute.
     *
     * @return the workflow ids; by default none
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

    /**
     * Told when a store that {@linkplain ThreadStore#notifiesAllChanges() notifies all changes}
     * cannot, for now, hear of other processes' commits (its database connection or its reading
     * fails). Until {@link #hearingRestored()}, whatever trusts the store to tell it of changes
     * must look at the store itself, at least once per poll interval. Told once per outage, from a
     * thread of the store's; must return quickly.
     */
    default void hearingLost() {
    }

    /**
     * Told when a store that had lost hearing hears other processes' commits again, after it
     * told this listener what it missed meanwhile.
     */
    default void hearingRestored() {
    }
}
