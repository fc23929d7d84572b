package dev.workflowthread.jdbc;

import dev.workflowthread.spi.StoreChange;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import dev.workflowthread.spi.Backoff;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.ConnectionFactory;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cross-process changes on PostgreSQL, through {@code LISTEN}/{@code NOTIFY} on one channel per
 * table prefix.
 *
 * <p>Writing: a commit that changes a workflow's state (every user message, every pause, resume,
 * cancel, redirect and finish) notifies inside its own transaction, so the notification is sent
 * exactly when the commit is. Commits that only append (agent comments) or close messages are not
 * notified in the writer's transaction, where {@code NOTIFY}'s database-wide lock at commit would
 * slow every writer: they are gathered for {@value #COALESCE_MILLIS} ms and sent in one notification per
 * batch, from a thread of their own.
 *
 * <p>Listening: one connection of its own, outside any pool, in auto-commit, waits for
 * notifications at most {@link #WAIT_MILLIS} at a time. After every (re)connection it first
 * listens and then reads the watched workflows' states on that connection
 * ({@link ChangeWatcher#reconcile}), so what was committed while it was not listening is told too,
 * and nothing is missed between the two. The same reading every reconcile interval shows that the
 * connection is alive, and covers a writer that died before its gathered notification went out.
 * While it cannot connect, it reads the states through the pool every poll interval instead.
 */
final class PostgresNotifications {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresNotifications.class);
    /** How long appends are gathered before one notification tells them. */
    static final long COALESCE_MILLIS = 10;
    /** The longest one wait for notifications on the listening connection. */
    static final int WAIT_MILLIS = 250;
    /** A read on the listening connection that takes longer fails, so a dead peer is noticed. */
    static final int NETWORK_TIMEOUT_MILLIS = 10_000;
    static final Duration MAX_BACKOFF = Duration.ofSeconds(2);
    /** After failures in a row, from 50 ms doubling up to {@link #MAX_BACKOFF}, jittered. */
    private static final Backoff BACKOFF = Backoff.exponential(Duration.ofMillis(50), MAX_BACKOFF);
    /** PostgreSQL takes payloads below 8000 bytes. */
    static final int MAX_PAYLOAD_BYTES = 7_900;

    private final Jdbi jdbi;
    private final String channel;
    private final String scope;
    private final Duration changePollInterval;
    private final Duration reconcileInterval;
    private final String selectStates;
    /** Tells this store's own notifications apart: the store told its listeners of them already. */
    private final String origin = UUID.randomUUID().toString().substring(0, 8);
    private final Map<Long, StoreChange> gathered = new LinkedHashMap<>();
    private volatile boolean closed;
    private Thread notifier;
    private Thread listener;
    private volatile Connection listening;

    /**
     * @param schema            the schema that holds the state table, as the store's pool sees
     *                          it: the listening connection reads the table there, whatever its own
     *                          search path, and it tells apart stores whose tables have the same
     *                          prefix in different schemas of one database, which share the channel
     * @param changePollInterval      how often to read the watched states while not listening
     * @param reconcileInterval how often to read them while listening
     */
    PostgresNotifications(Jdbi jdbi, Tables tables, String schema, Duration changePollInterval, Duration reconcileInterval) {
        this.jdbi = jdbi;
        this.channel = tables.prefix() + "workflow_thread_changes";
        this.scope = schema;
        this.changePollInterval = changePollInterval;
        this.reconcileInterval = reconcileInterval;
        String table = schema.isEmpty() ? tables.state() : quoted(schema) + "." + tables.state();
        this.selectStates = "SELECT " + Rows.STATE_CHANGE_COLUMNS + " FROM " + table
                + " WHERE workflow_id = ANY(?)";
    }

    /** A PostgreSQL identifier in double quotes, as it is (a schema name may hold any character). */
    static String quoted(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    String channel() {
        return channel;
    }

    // ---- writing ----

    /**
     * The notification of one change, sent by the commit's own statement that updates the state
     * ({@link Writes.Notice}), so that it goes out with the commit.
     */
    Writes.Notice notice(StoreChange change) {
        return new Writes.Notice(channel, payloads(List.of(change)).get(0));
    }

    /** Sends the change in the next gathered notification. */
    void notifySoon(StoreChange change) {
        synchronized (gathered) {
            if (closed) {
                return;
            }
            gathered.merge(change.workflowId(), change, PostgresNotifications::merge);
            if (notifier == null) {
                notifier = daemon("workflow-thread-notify", this::sendGathered);
            }
            gathered.notifyAll();
        }
    }

    private static StoreChange merge(StoreChange earlier, StoreChange later) {
        return new StoreChange(earlier.workflowId(), Math.max(earlier.version(), later.version()),
                Math.min(earlier.previousLastSeq(), later.previousLastSeq()),
                Math.max(earlier.lastSeq(), later.lastSeq()), earlier.finished() || later.finished());
    }

    private void sendGathered() {
        try {
            sendUntilClosed();
        } finally {
            synchronized (gathered) {
                notifier = null; // the next notifySoon starts another, should this one have died
            }
        }
    }

    private void sendUntilClosed() {
        long failures = 0;
        while (true) {
            List<StoreChange> batch;
            synchronized (gathered) {
                while (gathered.isEmpty() && !closed) {
                    try {
                        gathered.wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (gathered.isEmpty()) {
                    return; // closed, and everything sent
                }
            }
            if (!closed && !Backoff.sleep(Duration.ofMillis(COALESCE_MILLIS))) {
                return;
            }
            synchronized (gathered) {
                batch = new ArrayList<>(gathered.values());
                gathered.clear();
            }
            try {
                Transactions.inTransaction(jdbi, handle -> {
                    send(handle, batch);
                    return null;
                });
                failures = 0;
            } catch (RuntimeException | LinkageError e) {
                synchronized (gathered) {
                    batch.forEach(change -> gathered.merge(change.workflowId(), change, PostgresNotifications::merge));
                }
                if (closed) {
                    LOG.warn("could not send the last notifications of {} workflows before closing: {}",
                            batch.size(), e.toString());
                    return;
                }
                if (++failures == 1) {
                    LOG.warn("sending notifications failed; trying again until it works "
                            + "(listeners elsewhere catch up by reading the states meanwhile)", e);
                }
                if (!BACKOFF.sleepAfter(failures)) {
                    return;
                }
            }
        }
    }

    private void send(Handle handle, List<StoreChange> changes) {
        for (String payload : payloads(changes)) {
            handle.createQuery("SELECT pg_notify(:channel, :payload)")
                    .bind("channel", channel)
                    .bind("payload", payload)
                    .mapTo(String.class)
                    .findFirst();
        }
    }

    /**
     * {@code scope|origin|workflow,version,previousLastSeq,lastSeq,finished|…}, cut below the size
     * limit.
     */
    List<String> payloads(List<StoreChange> changes) {
        List<String> payloads = new ArrayList<>();
        String head = scope + "|" + origin;
        StringBuilder payload = new StringBuilder(head);
        for (StoreChange change : changes) {
            String entry = "|" + change.workflowId() + "," + change.version() + "," + change.previousLastSeq() + ","
                    + change.lastSeq() + "," + (change.finished() ? 1 : 0);
            if (payload.length() + entry.length() > MAX_PAYLOAD_BYTES) {
                payloads.add(payload.toString());
                payload = new StringBuilder(head);
            }
            payload.append(entry);
        }
        payloads.add(payload.toString());
        return payloads;
    }

    /**
     * The changes a payload tells, or none when it is this store's own, or of tables in another
     * schema, or not one of ours.
     */
    List<StoreChange> parse(String payload) {
        List<StoreChange> changes = new ArrayList<>();
        String[] parts = payload.split("\\|");
        if (parts.length < 3 || !parts[0].equals(scope) || parts[1].equals(origin)) {
            return changes;
        }
        for (int i = 2; i < parts.length; i++) {
            String[] fields = parts[i].split(",");
            try {
                changes.add(new StoreChange(Long.parseLong(fields[0]), Long.parseLong(fields[1]),
                        Long.parseLong(fields[2]), Long.parseLong(fields[3]), "1".equals(fields[4])));
            } catch (RuntimeException e) {
                LOG.warn("ignoring a notification on channel {} that is not one of ours: {}", channel,
                        payload.length() > 200 ? payload.substring(0, 200) + "…" : payload);
                return List.of();
            }
        }
        return changes;
    }

    // ---- listening ----

    /** Starts listening on connections from {@code connections}, telling {@code watcher}. */
    void listen(ConnectionFactory connections, ChangeWatcher watcher) {
        listener = daemon("workflow-thread-listen", () -> listenLoop(connections, watcher));
    }

    private void listenLoop(ConnectionFactory connections, ChangeWatcher watcher) {
        long failures = 0;
        while (!closed) {
            Connection connection = null;
            try {
                connection = connections.openConnection();
                listening = connection;
                connection.setAutoCommit(true);
                connection.setNetworkTimeout(Runnable::run, NETWORK_TIMEOUT_MILLIS);
                PGConnection pg = connection.unwrap(PGConnection.class);
                try {
                    try (Statement statement = connection.createStatement()) {
                        statement.execute("LISTEN " + channel);
                    }
                    // Listening first, then reading: a change committed in between is heard, read,
                    // or both.
                    Connection reading = connection;
                    watcher.reconcile(ids -> readStates(reading, ids));
                    if (failures > 0) {
                        LOG.info("listening on channel {} again after {} failed attempts", channel, failures);
                    }
                    failures = 0;
                    listenOn(connection, pg, watcher);
                } finally {
                    // A connection that came from a host's pool goes back to it: not listening any more.
                    unlisten(connection);
                }
            } catch (SQLException | RuntimeException | LinkageError e) {
                if (closed) {
                    break;
                }
                if (++failures == 1) {
                    LOG.warn("the connection listening on channel {} failed: {}; connecting again until it works, "
                            + "and reading the watched workflows' states every {} ms meanwhile", channel, e.toString(),
                            changePollInterval.toMillis());
                } else {
                    LOG.debug("listening on channel {} failed again ({} in a row): {}", channel, failures, e.toString());
                }
                if (!pollUntilReconnecting(watcher, backoff(failures))) {
                    break;
                }
            } finally {
                listening = null;
                close(connections, connection);
            }
        }
    }

    private static void close(ConnectionFactory connections, Connection connection) {
        if (connection == null) {
            return;
        }
        try {
            connections.closeConnection(connection);
        } catch (SQLException | RuntimeException e) {
            LOG.debug("closing the listening connection: {}", e.toString());
        }
    }

    /** Until closed or failing: tells what notifications and readings on the connection find. */
    private void listenOn(Connection connection, PGConnection pg, ChangeWatcher watcher) throws SQLException {
        long nextRead = System.nanoTime() + reconcileInterval.toNanos();
        while (!closed) {
            if (System.nanoTime() - nextRead >= 0) {
                // On this connection, so a busy pool does not hold up the notifications, and a
                // connection that died shows here.
                watcher.reconcile(ids -> readStates(connection, ids));
                nextRead = System.nanoTime() + reconcileInterval.toNanos();
            }
            PGNotification[] notifications = pg.getNotifications(WAIT_MILLIS);
            if (notifications != null) {
                for (PGNotification notification : notifications) {
                    if (channel.equals(notification.getName())) {
                        parse(notification.getParameter()).forEach(watcher::heard);
                    }
                }
            }
        }
    }

    private static void unlisten(Connection connection) {
        try (Statement statement = connection.createStatement()) {
            statement.execute("UNLISTEN *");
        } catch (SQLException | RuntimeException e) {
            LOG.debug("UNLISTEN on a connection that failed or was aborted: {}", e.toString());
        }
    }

    /**
     * While there is no listening connection, reads the watched states through the pool every poll
     * interval, as a store without notifications does; false when interrupted.
     */
    private boolean pollUntilReconnecting(ChangeWatcher watcher, Duration backoff) {
        long until = System.nanoTime() + backoff.toNanos();
        while (!closed) {
            try {
                watcher.reconcile();
            } catch (SQLException | RuntimeException e) {
                LOG.debug("reading the watched workflows' states failed too: {}", e.toString());
            }
            long left = until - System.nanoTime();
            if (left <= 0) {
                return true;
            }
            if (!Backoff.sleep(Duration.ofNanos(Math.min(left, changePollInterval.toNanos())))) {
                return false;
            }
        }
        return true;
    }

    private List<StoreChange> readStates(Connection connection, Collection<Long> workflowIds) throws SQLException {
        List<StoreChange> states = new ArrayList<>(workflowIds.size());
        try (PreparedStatement statement = connection.prepareStatement(selectStates)) {
            statement.setArray(1, connection.createArrayOf("bigint", workflowIds.toArray()));
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    states.add(Rows.stateChange(rs));
                }
            }
        }
        return states;
    }

    private static Duration backoff(long failures) {
        return BACKOFF.delay(failures);
    }

    private static Thread daemon(String name, Runnable work) {
        Thread thread = new Thread(work, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /**
     * Sends what is gathered and stops listening. The listener ends within {@link #WAIT_MILLIS}
     * and closes its connection itself; one that does not is aborted.
     */
    void close() {
        synchronized (gathered) {
            closed = true;
            gathered.notifyAll();
        }
        join(notifier);
        if (listener != null) {
            listener.interrupt();
            join(listener);
            Connection connection = listening;
            if (listener.isAlive() && connection != null) {
                try {
                    connection.abort(Runnable::run);
                } catch (SQLException | RuntimeException e) {
                    LOG.debug("aborting the listening connection: {}", e.toString());
                }
            }
        }
    }

    private static void join(Thread thread) {
        if (thread == null) {
            return;
        }
        try {
            thread.join(TimeUnit.SECONDS.toMillis(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
