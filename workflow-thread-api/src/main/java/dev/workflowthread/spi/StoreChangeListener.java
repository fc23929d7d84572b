package dev.workflowthread.spi;

/**
 * Told by a {@link ThreadStore} about committed changes. Called for one workflow in commit order;
 * must return quickly and must not call back into the store.
 */
@FunctionalInterface
public interface StoreChangeListener {

    void onChange(StoreChange change);
}
