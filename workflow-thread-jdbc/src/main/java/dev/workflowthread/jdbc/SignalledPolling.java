package dev.workflowthread.jdbc;

import dev.workflowthread.spi.Backoff;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a store with {@link ChangeSignals} hears other processes: one thread that reads the states
 * of the workflows a signal names (those watched here) as soon as it arrives, and the states of
 * all the watched workflows once after the signals are heard again and then every reconcile
 * interval; every poll interval instead while the signals are not heard. Nothing is taken from a
 * signal but the workflow ids to read: what the listeners are told comes from the database.
 */
final class SignalledPolling implements ChangeSignals.Receiver {
    private static final Logger LOG = LoggerFactory.getLogger(SignalledPolling.class);

    private final ChangeWatcher watcher;
    private final ChangeSignals signals;
    private final Duration changePollInterval;
    private final Duration reconcileInterval;
    private final Backoff backoff;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    // Guarded by lock:
    /** The workflows signalled since the last reading. */
    private final Set<Long> signalled = new HashSet<>();
    /** Read every watched workflow's state at once (after the signals connect, or a failed reading). */
    private boolean catchUp = true;
    /** When the next reading of all the watched states is due. */
    private long nextFullRead = System.nanoTime();
    /** No reading before this, after a failed one. */
    private long notBefore = System.nanoTime();
    /** True while the signals are heard. */
    private boolean heard;
    /** True once an outage of the signals was logged, until they are heard again. */
    private boolean outageLogged;
    private boolean stopped;

    private Thread thread;

    SignalledPolling(ChangeWatcher watcher, ChangeSignals signals, Duration changePollInterval, Duration reconcileInterval,
                     Duration maxBackoff) {
        this.watcher = watcher;
        this.signals = signals;
        this.changePollInterval = changePollInterval;
        this.reconcileInterval = reconcileInterval;
        this.backoff = ChangeWatcher.afterFailedRounds(changePollInterval, maxBackoff);
    }

    /** Starts the reading thread, and the signals. */
    void start() {
        thread = new Thread(this::readUntilStopped, "workflow-thread-signalled-poll");
        thread.setDaemon(true);
        thread.start();
        try {
            signals.start(this);
        } catch (RuntimeException e) {
            LOG.error("the change signals {} failed to start: {}; reading the watched workflows' states every {} ms "
                    + "instead", signals, e.toString(), changePollInterval.toMillis(), e);
        }
    }

    @Override
    public void changed(Collection<Long> workflowIds) {
        lock.lock();
        try {
            if (signalled.addAll(workflowIds)) {
                wake.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void connected() {
        lock.lock();
        try {
            if (heard || stopped) {
                return;
            }
            heard = true;
            catchUp = true;
            if (outageLogged) {
                outageLogged = false;
                LOG.info("change signals from other processes ({}) are heard again; reading the watched workflows' "
                        + "states once to catch up", signals);
            }
            wake.signal();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void disconnected(Throwable cause) {
        lock.lock();
        try {
            if (stopped) {
                return;
            }
            heard = false;
            if (!outageLogged) {
                outageLogged = true;
                LOG.warn("change signals from other processes ({}) are not heard: {}; reading the watched workflows' "
                        + "states every {} ms until they are back", signals, cause, changePollInterval.toMillis());
            }
            long pollDue = System.nanoTime() + changePollInterval.toNanos();
            if (nextFullRead - pollDue > 0) {
                nextFullRead = pollDue;
                wake.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    private void readUntilStopped() {
        long failures = 0;
        while (true) {
            boolean full;
            List<Long> workflows;
            lock.lock();
            try {
                while (!stopped && !due()) {
                    long now = System.nanoTime();
                    long until = notBefore - now > 0 ? notBefore
                            : catchUp || !signalled.isEmpty() ? now : nextFullRead;
                    wake.awaitNanos(Math.max(1, until - now));
                }
                if (stopped) {
                    return;
                }
                full = catchUp || System.nanoTime() - nextFullRead >= 0;
                catchUp = false;
                workflows = new ArrayList<>(signalled);
                signalled.clear();
                if (full) {
                    nextFullRead = System.nanoTime() + (heard ? reconcileInterval : changePollInterval).toNanos();
                }
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
            try {
                if (full) {
                    watcher.reconcile(); // covers the signalled workflows that are watched
                } else {
                    watcher.recheck(workflows);
                }
                if (failures > 0) {
                    LOG.info("reading the watched workflows' states works again after {} failed attempts", failures);
                }
                failures = 0;
            } catch (Exception | LinkageError e) {
                failures++;
                if (failures == 1) {
                    LOG.warn("reading the watched workflows' states failed: {}; trying again until it works",
                            e.toString(), e);
                } else {
                    LOG.debug("reading the watched workflows' states failed again ({} in a row): {}", failures,
                            e.toString());
                }
                lock.lock();
                try {
                    catchUp = true; // the next reading is of them all
                    notBefore = System.nanoTime() + backoff(failures).toNanos();
                } finally {
                    lock.unlock();
                }
            }
        }
    }

    /** Whether a reading is due now; under the lock. */
    private boolean due() {
        long now = System.nanoTime();
        return now - notBefore >= 0 && (catchUp || !signalled.isEmpty() || now - nextFullRead >= 0);
    }

    private Duration backoff(long failures) {
        return backoff.delay(failures);
    }

    /** Closes the signals and stops the reading thread. */
    void stop() {
        lock.lock();
        try {
            stopped = true;
            wake.signal();
        } finally {
            lock.unlock();
        }
        try {
            signals.close();
        } catch (RuntimeException e) {
            LOG.warn("closing the change signals {} failed: {}", signals, e.toString());
        }
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
