package dev.workflowthread.redis;

import dev.workflowthread.jdbc.ChangeSignals;
import dev.workflowthread.jdbc.JdbcThreadStore;
import dev.workflowthread.spi.Backoff;
import dev.workflowthread.spi.StoreChange;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ChangeSignals} on Redis pub/sub, through Lettuce: a JDBC store on a database without
 * notifications of its own (MySQL/MariaDB, H2) wakes the other processes sharing its tables within
 * milliseconds of a commit, instead of their next poll.
 *
 * <pre>{@code
 * JdbcThreadStore store = JdbcThreadStore.builder()
 *         .url("jdbc:mariadb://db/app")
 *         .changeSignals(RedisChangeSignals.builder().uri("redis://redis:6379").build())
 *         .build();
 * }</pre>
 *
 * <p>After each commit the store publishes the workflow's id on one channel (every process sharing
 * the tables must use the same channel, and stores on other tables another one); every other
 * process subscribed to it reads that workflow's state from the database, if it watches it, and
 * its checkpoints and subscriptions wake. A signal carries nothing else, and nothing is taken from
 * it but the id to read: the database stays the record, so a lost, repeated or forged message
 * costs one read at most.
 *
 * <p>Redis pub/sub does not keep a message for a subscriber that is away. So the store still reads
 * the watched workflows' states every reconcile interval while subscribed, and every poll interval
 * (with a warning in the log) while Redis cannot be reached; the connections reconnect by
 * themselves, and once subscribed again the store reads every watched state once to catch up with
 * what it did not hear meanwhile. A Redis that is down when the store starts is connected to in
 * the background, and the store polls until then.
 *
 * <p>The two connections (one publishing, one subscribed) are made when the signals are built,
 * in the background; the store closes them when it closes. Each store needs signals of its own.
 */
public final class RedisChangeSignals implements ChangeSignals {
    private static final Logger LOG = LoggerFactory.getLogger(RedisChangeSignals.class);
    /** The channel unless set. */
    public static final String DEFAULT_CHANNEL = "workflow-thread:changes";
    /** The most signals kept to send while the publishing connection is reconnecting. */
    static final int SEND_QUEUE = 10_000;
    /** The shortest and longest wait before connecting again. */
    static final Duration MIN_RECONNECT_DELAY = Duration.ofMillis(10);
    static final Duration MAX_RECONNECT_DELAY = Duration.ofSeconds(2);
    /** After failed connections in a row: from twice the least delay, doubling up to the most, jittered. */
    private static final Backoff RECONNECT_BACKOFF = Backoff.exponential(MIN_RECONNECT_DELAY.multipliedBy(2),
            MAX_RECONNECT_DELAY);
    private static final int MAX_MESSAGE_CHARS = 200;

    private final RedisClient client;
    private final RedisURI uri;
    private final String channel;
    /** Tells this object's own messages apart: its store told its listeners of them already. */
    private final String origin = UUID.randomUUID().toString().substring(0, 12);
    private final String prefix = origin + "|";
    private final boolean ownsResources;
    private final ClientResources resources;

    private final Object lock = new Object();
    // Guarded by lock:
    private Receiver receiver;
    private boolean closed;
    private Thread connector;
    private StatefulRedisConnection<String, String> publishing;
    private StatefulRedisPubSubConnection<String, String> subscribed;
    /** False from a failure to connect or send until connected again: one warning per outage. */
    private boolean publishingWorks = true;

    private RedisChangeSignals(RedisURI uri, String channel, ClientResources resources, boolean ownsResources) {
        this.uri = uri;
        this.channel = channel;
        this.resources = resources;
        this.ownsResources = ownsResources;
        this.client = RedisClient.create(resources, uri);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.ACCEPT_COMMANDS)
                .requestQueueSize(SEND_QUEUE)
                .build());
        client.addListener(new RedisConnectionStateListener() {
            @Override
            public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
                disconnected(connection);
            }
        });
        connectInBackground();
    }

    /**
     * Starts building signals.
     *
     * @return a builder, to be given {@link Builder#uri(String)} at least
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The channel the signals are published and heard on.
     *
     * @return the channel's name
     */
    public String channel() {
        return channel;
    }

    @Override
    public void start(Receiver receiver) {
        Objects.requireNonNull(receiver, "receiver");
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("these Redis change signals are closed");
            }
            if (this.receiver != null) {
                throw new IllegalStateException("these Redis change signals were started already: "
                        + "give each store signals of its own");
            }
            this.receiver = receiver;
            connectInBackground();
        }
    }

    @Override
    public void publish(StoreChange change) {
        StatefulRedisConnection<String, String> connection;
        synchronized (lock) {
            connection = publishing;
        }
        if (connection == null) {
            return; // not connected yet: the others read the states every poll interval meanwhile
        }
        try {
            connection.async().publish(channel, prefix + change.workflowId()).whenComplete((heard, failure) -> {
                if (failure != null) {
                    sendFailed(failure);
                } else {
                    sendWorked();
                }
            });
        } catch (RuntimeException e) {
            sendFailed(e); // the queue of signals waiting for a reconnection is full
        }
    }

    private void sendFailed(Throwable failure) {
        synchronized (lock) {
            if (!publishingWorks || closed) {
                return;
            }
            publishingWorks = false;
        }
        LOG.warn("publishing change signals on Redis channel {} at {} failed: {}; the other processes read the "
                + "states at their poll interval meanwhile", channel, where(), failure.toString());
    }

    private void sendWorked() {
        synchronized (lock) {
            if (publishingWorks) {
                return;
            }
            publishingWorks = true;
        }
        LOG.info("publishing change signals on Redis channel {} works again", channel);
    }

    /** Connects what is missing from a thread of its own, unless one is at it. Under the lock. */
    private void connectInBackground() {
        if (closed || connector != null || (publishing != null && (receiver == null || subscribed != null))) {
            return;
        }
        connector = new Thread(this::connectUntilConnected, "workflow-thread-redis-connect");
        connector.setDaemon(true);
        connector.start();
    }

    private void connectUntilConnected() {
        long failures = 0;
        while (true) {
            boolean publisher;
            Receiver hearing;
            synchronized (lock) {
                if (closed || (publishing != null && (receiver == null || subscribed != null))) {
                    connector = null;
                    return;
                }
                publisher = publishing == null;
                hearing = receiver;
            }
            try {
                if (publisher) {
                    StatefulRedisConnection<String, String> connection = client.connect();
                    if (!keep(connection, null)) {
                        return;
                    }
                    sendWorked();
                } else {
                    StatefulRedisPubSubConnection<String, String> connection = client.connectPubSub();
                    connection.addListener(new Subscriber(hearing));
                    if (!keep(null, connection)) {
                        return;
                    }
                    // Confirmed in Subscriber.subscribed, here and after every reconnection.
                    connection.async().subscribe(channel);
                }
                failures = 0;
            } catch (RuntimeException e) {
                synchronized (lock) {
                    if (closed) {
                        connector = null;
                        return;
                    }
                }
                failures++;
                if (failures == 1) {
                    LOG.warn("cannot connect to Redis at {} for change signals: {}; trying again until it works",
                            where(), e.toString());
                }
                if (publisher) {
                    sendFailed(e);
                }
                if (hearing != null) {
                    hearing.disconnected(e);
                }
                if (!RECONNECT_BACKOFF.sleepAfter(failures)) {
                    return;
                }
            }
        }
    }

    /** Keeps a new connection, or closes it and says false when the signals closed meanwhile. */
    private boolean keep(StatefulRedisConnection<String, String> publisher,
                         StatefulRedisPubSubConnection<String, String> subscriber) {
        synchronized (lock) {
            if (!closed) {
                if (publisher != null) {
                    publishing = publisher;
                } else {
                    subscribed = subscriber;
                }
                return true;
            }
            connector = null;
        }
        (publisher != null ? publisher : subscriber).close();
        return false;
    }

    private void disconnected(RedisChannelHandler<?, ?> connection) {
        Receiver hearing;
        synchronized (lock) {
            if (closed || connection != subscribed) {
                return;
            }
            hearing = receiver;
        }
        if (hearing != null) {
            // Lettuce connects again by itself, subscribes again, and Subscriber.subscribed says so.
            hearing.disconnected(new RedisConnectionException("the connection to Redis at " + where()
                    + " subscribed to " + channel + " was lost"));
        }
    }

    /** What a message says: the workflow ids in it, unless it is this object's own or not one of ours. */
    List<Long> parse(String message) {
        List<Long> workflowIds = new ArrayList<>(1);
        int bar = message.indexOf('|');
        if (bar < 0 || message.startsWith(prefix)) {
            return workflowIds;
        }
        try {
            for (String id : message.substring(bar + 1).split(",")) {
                workflowIds.add(Long.parseLong(id));
            }
        } catch (NumberFormatException e) {
            LOG.debug("ignoring a message on Redis channel {} that is not a change signal: {}", channel,
                    message.length() > MAX_MESSAGE_CHARS ? message.substring(0, MAX_MESSAGE_CHARS) + "…" : message);
            return List.of();
        }
        return workflowIds;
    }

    /** Hears the channel for one receiver. */
    private final class Subscriber extends RedisPubSubAdapter<String, String> {
        private final Receiver hearing;

        Subscriber(Receiver hearing) {
            this.hearing = hearing;
        }

        @Override
        public void subscribed(String subscribedChannel, long count) {
            if (channel.equals(subscribedChannel)) {
                hearing.connected();
            }
        }

        @Override
        public void message(String messageChannel, String message) {
            if (channel.equals(messageChannel)) {
                List<Long> workflowIds = parse(message);
                if (!workflowIds.isEmpty()) {
                    hearing.changed(workflowIds);
                }
            }
        }
    }

    /** The server, without credentials, for the log. */
    private String where() {
        return uri.getHost() + ":" + uri.getPort();
    }

    @Override
    public void close() {
        Thread connecting;
        StatefulRedisConnection<String, String> publisher;
        StatefulRedisPubSubConnection<String, String> subscriber;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            connecting = connector;
            publisher = publishing;
            subscriber = subscribed;
        }
        if (connecting != null) {
            // Before the client shuts down, so that it does not connect on event loops shut down.
            connecting.interrupt();
            try {
                connecting.join(TimeUnit.SECONDS.toMillis(2));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (subscriber != null) {
            subscriber.close();
        }
        if (publisher != null) {
            publisher.close();
        }
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        if (ownsResources) {
            resources.shutdown(0, 2, TimeUnit.SECONDS);
        }
    }

    @Override
    public String toString() {
        return "Redis at " + where() + ", channel " + channel;
    }

    /**
     * Builds {@link RedisChangeSignals}: give it the server's {@link #uri}.
     */
    public static final class Builder {
        private RedisURI uri;
        private String channel = DEFAULT_CHANNEL;
        private ClientResources clientResources;

        private Builder() {
        }

        /**
         * The Redis server, as a Redis URI ({@code redis://[password@]host[:port][/database]}, or
         * {@code rediss://} for TLS; {@code ?clientName=} names the connections in
         * {@code CLIENT LIST}).
         *
         * @param uri the server's URI
         * @return this builder
         * @throws IllegalArgumentException when {@code uri} is not a Redis URI
         */
        public Builder uri(String uri) {
            Objects.requireNonNull(uri, "uri");
            try {
                return uri(RedisURI.create(uri));
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                throw new IllegalArgumentException("uri must be a Redis URI such as redis://host:6379, but was '"
                        + uri + "': " + e.getMessage(), e);
            }
        }

        /**
         * The Redis server, as Lettuce's {@link RedisURI}.
         *
         * @param uri the server
         * @return this builder
         */
        public Builder uri(RedisURI uri) {
            this.uri = Objects.requireNonNull(uri, "uri");
            return this;
        }

        /**
         * The pub/sub channel; default {@value #DEFAULT_CHANNEL}. Every process sharing a store's
         * tables must use the same one, and stores on other tables (another database, or another
         * table prefix) should use another: their signals would only cost reads that find nothing.
         *
         * @param channel the channel's name, not blank
         * @return this builder
         * @throws IllegalArgumentException when {@code channel} is blank
         */
        public Builder channel(String channel) {
            Objects.requireNonNull(channel, "channel");
            if (channel.isBlank()) {
                throw new IllegalArgumentException("channel must not be blank");
            }
            this.channel = channel;
            return this;
        }

        /**
         * Lettuce's resources (event loops, timers) to share with the host's other Redis clients;
         * the signals do not shut them down. Unless set, the signals make their own and shut them
         * down when closed.
         *
         * @param clientResources the resources
         * @return this builder
         */
        public Builder clientResources(ClientResources clientResources) {
            this.clientResources = Objects.requireNonNull(clientResources, "clientResources");
            return this;
        }

        /**
         * Makes the signals and starts connecting to Redis in the background; a Redis that cannot
         * be reached does not fail this, nor the store: it polls until Redis is there.
         *
         * @return the signals, for {@link dev.workflowthread.jdbc.JdbcThreadStoreBuilder#changeSignals}
         * @throws IllegalStateException when no {@link #uri} was given
         */
        public RedisChangeSignals build() {
            if (uri == null) {
                throw new IllegalStateException("give the Redis change signals a uri");
            }
            boolean own = clientResources == null;
            ClientResources resources = own
                    ? ClientResources.builder()
                            .ioThreadPoolSize(1)
                            .computationThreadPoolSize(1)
                            .reconnectDelay(Delay.exponential(MIN_RECONNECT_DELAY, MAX_RECONNECT_DELAY, 2,
                                    TimeUnit.MILLISECONDS))
                            .build()
                    : clientResources;
            return new RedisChangeSignals(uri, channel, resources, own);
        }
    }
}
