package dev.workflowthread.spi;

import dev.workflowthread.Subscription;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The change listeners of one {@link ThreadStore}, and how a store tells them: each listener is
 * called in turn, and one that throws is logged with its exception while the others are told all
 * the same, so a listener never fails a commit that already applied. {@link #storeClosed()} tells
 * each listener once, however often the store is closed, and forgets them.
 *
 * <p>Thread-safe: listeners may be added and removed while others are being told. The order in
 * which one workflow's changes are told is the caller's: call {@link #changed} in commit order.
 */
public final class StoreChangeListeners {
    private static final Logger LOG = LoggerFactory.getLogger(StoreChangeListeners.class);

    private final List<StoreChangeListener> listeners = new CopyOnWriteArrayList<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    /** A dispatcher with no listeners yet, open. */
    public StoreChangeListeners() {
    }

    /**
     * Registers a listener until the returned subscription is closed.
     *
     * @param listener what to tell
     * @return the registration; closing it removes the listener
     * @throws NullPointerException when {@code listener} is null
     */
    public Subscription add(StoreChangeListener listener) {
        Objects.requireNonNull(listener, "listener");
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /**
     * Whether any listener is registered.
     *
     * @return true when none is
     */
    public boolean isEmpty() {
        return listeners.isEmpty();
    }

    /**
     * Tells every listener of a committed change.
     *
     * @param change the change
     */
    public void changed(StoreChange change) {
        tellEach(change, listener -> listener.onChange(change));
    }

    /** Tells every listener that changes of other processes are not heard for now. */
    public void hearingLost() {
        tellEach("hearing lost", StoreChangeListener::hearingLost);
    }

    /** Tells every listener that changes of other processes are heard again. */
    public void hearingRestored() {
        tellEach("hearing restored", StoreChangeListener::hearingRestored);
    }

    /**
     * The workflows some listener watches now; a listener that throws is logged and counts as
     * watching none.
     *
     * @return the union of every listener's {@link StoreChangeListener#watchedWorkflows()}, a new
     *         modifiable set
     */
    public Set<Long> watchedWorkflows() {
        Set<Long> watched = new HashSet<>();
        for (StoreChangeListener listener : listeners) {
            try {
                watched.addAll(listener.watchedWorkflows());
            } catch (RuntimeException e) {
                LOG.error("store change listener {} failed to say which workflows it watches", listener, e);
            }
        }
        return watched;
    }

    /**
     * Tells every listener, the first time only, that the store closed, and forgets them.
     */
    public void storeClosed() {
        if (closed.compareAndSet(false, true)) {
            tellEach("the store closed", StoreChangeListener::storeClosed);
            listeners.clear();
        }
    }

    private void tellEach(Object what, Consumer<StoreChangeListener> call) {
        for (StoreChangeListener listener : listeners) {
            try {
                call.accept(listener);
            } catch (RuntimeException e) {
                LOG.error("store change listener {} failed when told {}", listener, what, e);
            }
        }
    }
}
