package dev.workflowthread.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class StoreChangeListenersTest {
    private final StoreChangeListeners listeners = new StoreChangeListeners();
    private final StoreChange change = new StoreChange(7, 1, 0, 1, false);

    /** Throws from every call. */
    private static final class Throwing implements StoreChangeListener {
        @Override
        public void onChange(StoreChange change) {
            throw new IllegalStateException("listener broke");
        }

        @Override
        public Set<Long> watchedWorkflows() {
            throw new IllegalStateException("listener broke");
        }

        @Override
        public void storeClosed() {
            throw new IllegalStateException("listener broke");
        }

        @Override
        public void hearingLost() {
            throw new IllegalStateException("listener broke");
        }

        @Override
        public void hearingRestored() {
            throw new IllegalStateException("listener broke");
        }
    }

    /** Counts what it is told. */
    private static final class Counting implements StoreChangeListener {
        final List<StoreChange> changes = new CopyOnWriteArrayList<>();
        final AtomicInteger closed = new AtomicInteger();
        final AtomicInteger lost = new AtomicInteger();
        final AtomicInteger restored = new AtomicInteger();

        @Override
        public void onChange(StoreChange change) {
            changes.add(change);
        }

        @Override
        public Set<Long> watchedWorkflows() {
            return Set.of(7L, 8L);
        }

        @Override
        public void storeClosed() {
            closed.incrementAndGet();
        }

        @Override
        public void hearingLost() {
            lost.incrementAndGet();
        }

        @Override
        public void hearingRestored() {
            restored.incrementAndGet();
        }
    }

    @Test
    void aListenerThatThrowsDoesNotKeepTheOthersFromBeingTold() {
        listeners.add(new Throwing());
        Counting counting = new Counting();
        listeners.add(counting);

        listeners.changed(change);
        listeners.hearingLost();
        listeners.hearingRestored();

        assertThat(counting.changes).containsExactly(change);
        assertThat(counting.lost).hasValue(1);
        assertThat(counting.restored).hasValue(1);
        assertThat(listeners.watchedWorkflows()).containsExactlyInAnyOrder(7L, 8L);
    }

    @Test
    void storeClosedIsToldOnceAndTheListenersAreForgotten() {
        listeners.add(new Throwing());
        Counting counting = new Counting();
        listeners.add(counting);

        listeners.storeClosed();
        listeners.storeClosed();
        listeners.changed(change);

        assertThat(counting.closed).hasValue(1);
        assertThat(counting.changes).isEmpty();
        assertThat(listeners.isEmpty()).isTrue();
    }

    @Test
    void aClosedSubscriptionIsToldNothingMore() {
        Counting counting = new Counting();
        var subscription = listeners.add(counting);
        listeners.changed(change);
        subscription.close();
        listeners.changed(new StoreChange(7, 2, 1, 2, true));
        listeners.storeClosed();

        assertThat(counting.changes).containsExactly(change);
        assertThat(counting.closed).hasValue(0);
        assertThat(listeners.watchedWorkflows()).isEmpty();
    }

    @Test
    void aNullListenerIsRefused() {
        assertThatThrownBy(() -> listeners.add(null)).isInstanceOf(NullPointerException.class).hasMessage("listener");
    }
}
