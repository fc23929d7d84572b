package dev.workflowthread.web;

import dev.workflowthread.WorkflowMessages;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WebSocket side of the web layer, for one server: it opens a {@link SocketSession} for each
 * connection the host's server accepts, sends the heartbeats, and closes them all when the server
 * stops. The protocol is {@link SocketSession}'s.
 *
 * <pre>{@code
 * ThreadSockets sockets = ThreadSockets.builder(messages, host).build();
 * // when a connection opens
 * SocketSession session = sockets.open(sender);   // sender: sends texts on that connection
 * // for each text frame it receives
 * session.onText(text);
 * // when it closes
 * session.onClose();
 * }</pre>
 *
 * <p>Thread-safe. {@link #close()} stops the heartbeats and closes every connection.
 */
public final class ThreadSockets implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ThreadSockets.class);
    /** How many texts a session holds for a client that reads slowly before disconnecting it, unless set. */
    public static final int DEFAULT_MAX_QUEUED_MESSAGES = 10_000;
    /** And how many characters of them, unless set (16 MiB as Java holds them). */
    public static final long DEFAULT_MAX_QUEUED_CHARS = 8L * 1024 * 1024;
    /** How long a connection may be silent before it is sent a heartbeat, unless set. */
    public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(15);

    final WorkflowMessages messages;
    final WorkflowHost host;
    final int maxQueuedMessages;
    final long maxQueuedChars;
    final Duration heartbeat;
    private final Set<SocketSession> sessions = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService heartbeats;
    private volatile boolean closed;

    private ThreadSockets(Builder builder) {
        this.messages = builder.messages;
        this.host = builder.host;
        this.maxQueuedMessages = builder.maxQueuedMessages;
        this.maxQueuedChars = builder.maxQueuedChars;
        this.heartbeat = builder.heartbeat;
        if (heartbeat.isZero()) {
            this.heartbeats = null;
        } else {
            this.heartbeats = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "workflow-thread-socket-heartbeat");
                thread.setDaemon(true);
                return thread;
            });
            // Looked at three times an interval, so that no connection is silent much longer than one.
            long tick = Math.max(1, heartbeat.toMillis() / 3);
            heartbeats.scheduleWithFixedDelay(this::beat, tick, tick, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * A builder.
     *
     * @param messages the library service the sessions follow workflows on
     * @param host     the host's workflows: a subscription to a workflow it does not know is a 404
     * @return the builder
     * @throws NullPointerException when an argument is null
     */
    public static Builder builder(WorkflowMessages messages, WorkflowHost host) {
        return new Builder(messages, host);
    }

    /**
     * Opens the session of a new connection.
     *
     * @param sender how the session sends on that connection
     * @return the session, to hand every text frame the connection receives and its close
     * @throws IllegalStateException when this was closed
     * @throws NullPointerException  when {@code sender} is null
     */
    public SocketSession open(SocketSender sender) {
        Objects.requireNonNull(sender, "sender");
        if (closed) {
            throw new IllegalStateException("the WebSocket sessions were closed");
        }
        SocketSession session = new SocketSession(this, sender);
        sessions.add(session);
        return session;
    }

    /**
     * The checks of a WebSocket upgrade, for the host to run before it accepts one: a method
     * override header (400) and a page of another site (403, by its {@code Origin}), so that such a
     * page cannot follow workflows through a visitor's browser.
     *
     * @param upgrade the upgrade request (its method, path, headers, scheme and local port)
     * @return the refusal to answer instead of upgrading, or empty when the upgrade may go on
     * @throws NullPointerException when {@code upgrade} is null
     */
    public static java.util.Optional<WebResponse> refuseUpgrade(WebRequest upgrade) {
        Objects.requireNonNull(upgrade, "upgrade");
        try {
            Protocol.refuseMethodOverride(upgrade);
            Protocol.requireSameOrigin(upgrade);
            return java.util.Optional.empty();
        } catch (WebRefusal e) {
            return java.util.Optional.of(WebResponse.error(e.status(), e.field(), e.getMessage()));
        }
    }

    /**
     * How many sessions are open.
     *
     * @return the count
     */
    public int connectionCount() {
        return sessions.size();
    }

    /**
     * Waits, at most {@code timeout}, until every session was sent every event of the workflows it
     * follows, up to their newest {@code seq} now: a stopping server lets its clients see the last
     * words (a workflow failed because the server stops) before it closes them.
     *
     * @param timeout how long to wait at most
     * @return true when all caught up, false when the time ran out first
     * @throws NullPointerException when {@code timeout} is null
     */
    public boolean awaitCaughtUp(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!sessions.stream().allMatch(SocketSession::caughtUp)) {
            if (System.nanoTime() - deadline >= 0) {
                LOG.info("stopping with some WebSocket clients not caught up; they catch up when they reconnect");
                return false;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
        return true;
    }

    /** Closes every open session and its connection (close code 1001, "going away"), as a stopping server does. */
    public void closeAll() {
        for (SocketSession session : List.copyOf(sessions)) {
            session.onClose();
            try {
                session.sender.close(SocketSession.GOING_AWAY, "server stopping");
            } catch (RuntimeException e) {
                LOG.debug("closing a WebSocket failed", e);
            }
        }
    }

    /** Stops the heartbeats and closes every session ({@link #closeAll}); a second call does nothing more. */
    @Override
    public void close() {
        closed = true;
        if (heartbeats != null) {
            heartbeats.shutdownNow();
        }
        closeAll();
    }

    void closed(SocketSession session) {
        sessions.remove(session);
    }

    private void beat() {
        long silentNanos = heartbeat.toNanos();
        for (SocketSession session : sessions) {
            try {
                session.heartbeatIfSilentFor(silentNanos);
            } catch (RuntimeException e) {
                LOG.warn("a WebSocket heartbeat failed", e);
            }
        }
    }

    /** The settings of a {@link ThreadSockets}. */
    public static final class Builder {
        private final WorkflowMessages messages;
        private final WorkflowHost host;
        private int maxQueuedMessages = DEFAULT_MAX_QUEUED_MESSAGES;
        private long maxQueuedChars = DEFAULT_MAX_QUEUED_CHARS;
        private Duration heartbeat = DEFAULT_HEARTBEAT;

        private Builder(WorkflowMessages messages, WorkflowHost host) {
            this.messages = Objects.requireNonNull(messages, "messages");
            this.host = Objects.requireNonNull(host, "host");
        }

        /**
         * How many texts a session holds for a slow client before it disconnects it (close code
         * 1013); the client catches up from the store when it reconnects.
         *
         * @param maxQueuedMessages at least 1; {@link #DEFAULT_MAX_QUEUED_MESSAGES} unless set
         * @return this builder
         * @throws IllegalArgumentException when below 1
         */
        public Builder maxQueuedMessages(int maxQueuedMessages) {
            if (maxQueuedMessages < 1) {
                throw new IllegalArgumentException("maxQueuedMessages must be at least 1, but was " + maxQueuedMessages);
            }
            this.maxQueuedMessages = maxQueuedMessages;
            return this;
        }

        /**
         * How many characters of texts a session holds for a slow client before it disconnects it.
         *
         * @param maxQueuedChars at least 1; {@link #DEFAULT_MAX_QUEUED_CHARS} unless set
         * @return this builder
         * @throws IllegalArgumentException when below 1
         */
        public Builder maxQueuedChars(long maxQueuedChars) {
            if (maxQueuedChars < 1) {
                throw new IllegalArgumentException("maxQueuedChars must be at least 1, but was " + maxQueuedChars);
            }
            this.maxQueuedChars = maxQueuedChars;
            return this;
        }

        /**
         * How long a connection may be silent before it is sent a heartbeat,
         * {@code {"event":"heartbeat",…}}: a page that hears nothing for longer knows its
         * connection is dead, even when no close ever reaches it.
         *
         * @param heartbeat positive, or zero for none; {@link #DEFAULT_HEARTBEAT} unless set
         * @return this builder
         * @throws IllegalArgumentException when negative
         * @throws NullPointerException     when null
         */
        public Builder heartbeat(Duration heartbeat) {
            if (heartbeat.isNegative()) {
                throw new IllegalArgumentException("heartbeat must not be negative, but was " + heartbeat);
            }
            this.heartbeat = heartbeat;
            return this;
        }

        /**
         * Builds it, starting the heartbeat thread (unless the heartbeat is zero).
         *
         * @return the sessions' hub
         */
        public ThreadSockets build() {
            return new ThreadSockets(this);
        }
    }
}
