package dev.workflowthread.jdbc;

import dev.workflowthread.spi.StoreChange;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.ConnectionFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the store hears of other processes' commits and tells them of its own: on PostgreSQL with
 * notifications through {@link PostgresNotifications}; with {@link ChangeSignals} given, through
 * them and {@link SignalledPolling}; otherwise by a thread that runs a round of
 * {@link ChangePolling} every poll interval (from the start of one round to the next). Each
 * tells the {@link ChangeWatcher}; it starts with the first listener and stops when the store
 * closes.
 */
final class OtherProcesses {
    private static final Logger LOG = LoggerFactory.getLogger(OtherProcesses.class);
    private final ChangeWatcher watcher;
    /** Null unless on PostgreSQL with notifications on. */
    private final PostgresNotifications notifications;
    /** Null unless given; then {@link #notifications} is null. */
    private final ChangeSignals signals;
    private final ConnectionFactory listenConnections;
    private final Duration changePollInterval;
    private final Duration reconcileInterval;
    /** Guards {@link #started}, {@link #stopped} and {@link #poller}. */
    private final Object lock = new Object();
    private boolean started;
    private volatile boolean stopped;
    /** The polling thread, once started without notifications. */
    private Thread poller;
    /** What reads the states with {@link #signals}, once started. */
    private SignalledPolling signalled;

    /** {@code notifications} and {@code signals} null: poll. */
    OtherProcesses(ChangeWatcher watcher, PostgresNotifications notifications, ChangeSignals signals,
                   ConnectionFactory listenConnections, Duration changePollInterval, Duration reconcileInterval) {
        this.watcher = watcher;
        this.notifications = notifications;
        this.signals = signals;
        this.listenConnections = listenConnections;
        this.changePollInterval = changePollInterval;
        this.reconcileInterval = reconcileInterval;
    }

    /** The channel the store listens and notifies on, when it uses PostgreSQL's notifications. */
    Optional<String> channel() {
        return notifications == null ? Optional.empty() : Optional.of(notifications.channel());
    }

    /** Starts listening or polling, unless started or stopped already. */
    void start() {
        synchronized (lock) {
            if (started || stopped) {
                return;
            }
            started = true;
            if (notifications != null) {
                notifications.listen(listenConnections, watcher);
            } else if (signals != null) {
                signalled = new SignalledPolling(watcher, signals, changePollInterval, reconcileInterval,
                        PostgresNotifications.MAX_BACKOFF);
                signalled.start();
            } else {
                ChangePolling polling = new ChangePolling(watcher, changePollInterval, reconcileInterval);
                poller = ChangeWatcher.loop("workflow-thread-poll", changePollInterval, PostgresNotifications.MAX_BACKOFF,
                        () -> stopped, polling::round);
            }
        }
    }

    /**
     * The notification a commit that changes a workflow's state sends in the statement that
     * updates the state, so that it costs no round trip of its own; null when there are no
     * notifications.
     */
    Writes.Notice noticeOf(StoreChange change) {
        return notifications == null ? null : notifications.notice(change);
    }

    /**
     * A commit that moved a workflow's state or appended to it, after it committed: signalled to
     * the other processes, when there are {@link ChangeSignals}. A failing signal fails nothing.
     */
    void committed(StoreChange change) {
        if (signals != null) {
            try {
                signals.publish(change);
            } catch (RuntimeException e) {
                LOG.debug("the change signals {} failed to publish a change of workflow {}: {}", signals,
                        change.workflowId(), e.toString());
            }
        }
    }

    /** A committed append, gathered and notified soon after. */
    void notifySoon(StoreChange change) {
        if (notifications != null) {
            notifications.notifySoon(change);
        }
    }

    /**
     * Stops hearing (sending the notifications still gathered), closes the signals, and waits for
     * the polling thread.
     */
    void stop() {
        Thread started;
        SignalledPolling signalledPolling;
        synchronized (lock) {
            stopped = true;
            started = poller;
            signalledPolling = signalled;
        }
        if (notifications != null) {
            notifications.close();
        }
        if (signalledPolling != null) {
            signalledPolling.stop();
        } else if (signals != null) {
            signals.close();
        }
        if (started != null) {
            started.interrupt();
            try {
                started.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
