package dev.workflowthread.jdbc;

import dev.workflowthread.spi.StoreChange;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.ConnectionFactory;
import org.jdbi.v3.core.Handle;

/**
 * How the store hears of other processes' commits and tells them of its own: on PostgreSQL with
 * notifications through {@link PostgresNotifications}, otherwise by a thread that reads the
 * watched states every poll interval. Either tells the {@link ChangeWatcher}; it starts with the
 * first listener and stops when the store closes.
 */
final class OtherProcesses {
    private final ChangeWatcher watcher;
    /** Null unless on PostgreSQL with notifications on. */
    private final PostgresNotifications notifications;
    private final ConnectionFactory listenConnections;
    private final Duration pollInterval;
    /** Guards {@link #started}, {@link #stopped} and {@link #poller}. */
    private final Object lock = new Object();
    private boolean started;
    private volatile boolean stopped;
    /** The polling thread, once started without notifications. */
    private Thread poller;

    /** {@code notifications} null: poll. */
    OtherProcesses(ChangeWatcher watcher, PostgresNotifications notifications, ConnectionFactory listenConnections,
                   Duration pollInterval) {
        this.watcher = watcher;
        this.notifications = notifications;
        this.listenConnections = listenConnections;
        this.pollInterval = pollInterval;
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
            } else {
                poller = ChangeWatcher.loop("workflow-thread-poll", pollInterval, PostgresNotifications.MAX_BACKOFF,
                        () -> stopped, watcher::reconcile);
            }
        }
    }

    /** A commit in progress on {@code handle} that changes a workflow's state notifies with it. */
    void notifyWithCommit(Handle handle, StoreChange change) {
        if (notifications != null) {
            notifications.notifyWithCommit(handle, change);
        }
    }

    /** A committed append, gathered and notified soon after. */
    void notifySoon(StoreChange change) {
        if (notifications != null) {
            notifications.notifySoon(change);
        }
    }

    /** Stops hearing (sending the notifications still gathered) and waits for the polling thread. */
    void stop() {
        Thread started;
        synchronized (lock) {
            stopped = true;
            started = poller;
        }
        if (notifications != null) {
            notifications.close();
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
