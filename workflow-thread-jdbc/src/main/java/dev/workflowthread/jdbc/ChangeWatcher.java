package dev.workflowthread.jdbc;

import dev.workflowthread.spi.StoreChange;
import dev.workflowthread.spi.StoreChangeListener;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the changes other processes make to the workflows this JVM watches, and tells the store's
 * listeners. It keeps the last version and seq it told for each watched workflow, so that a change
 * is told once however it was heard: from this JVM's own commit, from a notification, or from
 * reading the states ({@link #reconcile}), which the store's polling thread does every poll
 * interval, and {@link PostgresNotifications} after every (re)connection and every reconcile
 * interval. A workflow it has told before is told with the exact seq it had then, so that an
 * all-workflows subscription can start from it.
 */
final class ChangeWatcher {
    private static final Logger LOG = LoggerFactory.getLogger(ChangeWatcher.class);

    /** The newest version and seq told for a watched workflow. */
    private record Known(long version, long lastSeq, boolean finished) {
        Known merge(StoreChange change) {
            return new Known(Math.max(version, change.version()), Math.max(lastSeq, change.lastSeq()),
                    finished || change.finished());
        }
    }

    private final Collection<StoreChangeListener> listeners;
    private final StateReader readStates;
    private final Consumer<StoreChange> tell;
    private final ConcurrentHashMap<Long, Known> known = new ConcurrentHashMap<>();
    /** False from a failed reading of the states until one succeeds. */
    private final AtomicBoolean hearing = new AtomicBoolean(true);

    /**
     * @param listeners  the store's listeners, asked which workflows they watch
     * @param readStates reads the current state of the given workflows, as changes whose earlier
     *                   seq is unknown
     * @param tell       tells a change to the store's listeners
     */
    ChangeWatcher(Collection<StoreChangeListener> listeners, StateReader readStates,
                  Consumer<StoreChange> tell) {
        this.listeners = listeners;
        this.readStates = readStates;
        this.tell = tell;
    }

    /** The workflows some listener watches now. */
    Set<Long> watched() {
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

    /** As {@link #reconcile(StateReader)} with the store's own reading, through its pool. */
    void reconcile() throws SQLException {
        reconcile(readStates);
    }

    /**
     * Reads the state of every watched workflow with {@code reader} and tells those that moved past
     * what was told. A workflow read for the first time is told as it is, so a listener that
     * registered after a change it missed catches up. Throws what reading throws; nothing is lost
     * then, as the next reconcile compares again, but the listeners are told that hearing is lost
     * (so that checkpoints poll) until a reading works again.
     */
    void reconcile(StateReader reader) throws SQLException {
        Set<Long> watched = watched();
        known.keySet().retainAll(watched);
        if (watched.isEmpty()) {
            return;
        }
        List<StoreChange> states;
        try {
            states = reader.read(watched);
        } catch (SQLException | RuntimeException e) {
            hearingLost();
            throw e;
        }
        for (StoreChange current : states) {
            take(current, true);
        }
        if (hearing.compareAndSet(false, true)) {
            forEachListener("hearing restored", StoreChangeListener::hearingRestored);
        }
    }

    /** Tells the listeners, once per outage, that changes of other processes are not heard now. */
    void hearingLost() {
        if (hearing.compareAndSet(true, false)) {
            forEachListener("hearing lost", StoreChangeListener::hearingLost);
        }
    }

    private void forEachListener(String what, Consumer<StoreChangeListener> call) {
        for (StoreChangeListener listener : listeners) {
            try {
                call.accept(listener);
            } catch (RuntimeException e) {
                LOG.error("store change listener {} failed when told {}", listener, what, e);
            }
        }
    }

    /** Reads the current state of workflows, as changes whose earlier seq is unknown. */
    @FunctionalInterface
    interface StateReader {
        List<StoreChange> read(Collection<Long> workflowIds) throws SQLException;
    }

    /**
     * A change heard from another process's notification: told unless it is no news. A change of a
     * workflow not watched here is told as well (an all-workflows subscription may want it).
     */
    void heard(StoreChange change) {
        take(change, false);
    }

    /** This JVM's own commit, already told by the store: a later read must not tell it again. */
    void told(StoreChange change) {
        known.computeIfPresent(change.workflowId(), (id, before) -> before.merge(change));
    }

    private void take(StoreChange change, boolean watched) {
        StoreChange[] news = {null};
        known.compute(change.workflowId(), (id, before) -> {
            if (before == null) {
                news[0] = change;
                return watched ? new Known(change.version(), change.lastSeq(), change.finished()) : null;
            }
            Known after = before.merge(change);
            if (!after.equals(before)) {
                // What was told last is exactly where this change starts.
                news[0] = new StoreChange(id, after.version(), before.lastSeq(), after.lastSeq(), after.finished());
            }
            return after;
        });
        if (news[0] != null) {
            tell.accept(news[0]);
        }
    }

    /**
     * Starts a daemon thread that runs {@code round} until {@code stopped} says so, waiting
     * {@code every} between rounds; a failing round is logged (once per run of failures) and the
     * wait before the next grows up to {@code maxBackoff}.
     */
    static Thread loop(String name, Duration every, Duration maxBackoff, BooleanSupplier stopped,
                       Round round) {
        Thread thread = new Thread(() -> {
            long failures = 0;
            while (!stopped.getAsBoolean()) {
                long waitNanos = every.toNanos();
                try {
                    round.run();
                    if (failures > 0) {
                        LOG.info("{}: working again after {} failed rounds", name, failures);
                    }
                    failures = 0;
                } catch (Exception | LinkageError e) {
                    if (stopped.getAsBoolean()) {
                        break;
                    }
                    failures++;
                    if (failures == 1) {
                        LOG.warn("{}: {}; trying again until it works", name, e.toString(), e);
                    } else {
                        LOG.debug("{}: failed again ({} in a row): {}", name, failures, e.toString());
                    }
                    waitNanos = Math.max(every.toNanos(),
                            Math.min(maxBackoff.toNanos(), every.toNanos() << Math.min(failures, 10)));
                }
                if (!pause(Duration.ofNanos(waitNanos))) {
                    break;
                }
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** Waits {@code delay}; false when interrupted (the interrupt stays set). */
    static boolean pause(Duration delay) {
        try {
            TimeUnit.NANOSECONDS.sleep(delay.toNanos());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** One round of a {@link #loop}. */
    @FunctionalInterface
    interface Round {
        void run() throws SQLException;
    }
}
