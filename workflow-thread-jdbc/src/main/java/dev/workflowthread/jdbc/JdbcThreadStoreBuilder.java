package dev.workflowthread.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import dev.workflowthread.StorageException;
import dev.workflowthread.WorkflowThreadObserver;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;
import org.jdbi.v3.core.ConnectionFactory;
import org.jdbi.v3.core.Jdbi;

/**
 * Builds a {@link JdbcThreadStore}. Give it exactly one of {@link #dataSource}, {@link #jdbi}
 * or {@link #url}.
 */
public final class JdbcThreadStoreBuilder {
    /** The pool size of a store made from a URL, unless set. */
    public static final int DEFAULT_MAXIMUM_POOL_SIZE = 10;
    /** How often other processes' changes are read on a database without notifications, unless set. */
    public static final long DEFAULT_CHANGE_POLL_INTERVAL_MILLIS = 100;
    /** {@link #DEFAULT_CHANGE_POLL_INTERVAL_MILLIS} as a {@code Duration}. */
    public static final Duration DEFAULT_CHANGE_POLL_INTERVAL = Duration.ofMillis(DEFAULT_CHANGE_POLL_INTERVAL_MILLIS);
    static final long MIN_INTERVAL_MILLIS = 10;
    /** How often the listening connection on PostgreSQL reads the watched states, unless set. */
    public static final Duration DEFAULT_RECONCILE_INTERVAL = Duration.ofSeconds(2);
    /** How long a store made from a URL waits for a free connection, unless set. */
    public static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(10);

    private DataSource dataSource;
    private Jdbi jdbi;
    private String url;
    private String username;
    private String password;
    private int maximumPoolSize = DEFAULT_MAXIMUM_POOL_SIZE;
    private Duration connectionTimeout = DEFAULT_CONNECTION_TIMEOUT;
    private String tablePrefix = "";
    private SchemaMode schemaMode = SchemaMode.CREATE;
    private JdbcDialect dialect;
    private Duration changePollInterval = DEFAULT_CHANGE_POLL_INTERVAL;
    private boolean notifications = true;
    private ConnectionFactory listenConnections;
    private Duration reconcileInterval = DEFAULT_RECONCILE_INTERVAL;
    private WorkflowThreadObserver observer = WorkflowThreadObserver.none();
    private ChangeSignals changeSignals;
    private boolean groupCommit = true;

    JdbcThreadStoreBuilder() {
    }

    /**
     * The host's connection pool; the store never closes it.
     *
     * @param dataSource the pool the store takes its connections from
     * @return this builder
     * @throws NullPointerException when {@code dataSource} is null
     */
    public JdbcThreadStoreBuilder dataSource(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        return this;
    }

    /**
     * The host's Jdbi; the store never closes what it holds.
     *
     * @param jdbi the Jdbi the store runs its statements with
     * @return this builder
     * @throws NullPointerException when {@code jdbi} is null
     */
    public JdbcThreadStoreBuilder jdbi(Jdbi jdbi) {
        this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
        return this;
    }

    /**
     * A JDBC URL: the store makes a HikariCP pool for it, and closes the pool on
     * {@link JdbcThreadStore#close()}. The JDBC driver must be on the classpath.
     *
     * @param url the JDBC URL, starting with {@code jdbc:}
     * @return this builder
     * @throws NullPointerException     when {@code url} is null
     * @throws IllegalArgumentException when {@code url} does not start with {@code jdbc:}
     */
    public JdbcThreadStoreBuilder url(String url) {
        Objects.requireNonNull(url, "url");
        if (!url.startsWith("jdbc:")) {
            throw new IllegalArgumentException("url must be a JDBC URL starting with jdbc:, but was '" + url + "'");
        }
        this.url = url;
        return this;
    }

    /**
     * The user and password for {@link #url}.
     *
     * @param username the database user, or null for the one the URL names (if any)
     * @param password the user's password, or null for none
     * @return this builder
     */
    public JdbcThreadStoreBuilder credentials(String username, String password) {
        this.username = username;
        this.password = password;
        return this;
    }

    /**
     * The most connections the pool made for {@link #url} opens; default {@value #DEFAULT_MAXIMUM_POOL_SIZE}.
     *
     * @param maximumPoolSize the pool's size, at least 1
     * @return this builder
     * @throws IllegalArgumentException when {@code maximumPoolSize} is less than 1
     */
    public JdbcThreadStoreBuilder maximumPoolSize(int maximumPoolSize) {
        if (maximumPoolSize < 1) {
            throw new IllegalArgumentException("maximumPoolSize must be positive, but was " + maximumPoolSize);
        }
        this.maximumPoolSize = maximumPoolSize;
        return this;
    }

    /**
     * How often the store looks for what other processes changed, on databases without
     * notifications (H2, MySQL/MariaDB, and PostgreSQL with {@link #notifications(boolean)} off);
     * default {@value #DEFAULT_CHANGE_POLL_INTERVAL_MILLIS} ms, from {@value #MIN_INTERVAL_MILLIS}
     * ms to one minute. A round starts every interval, timed from the start of the one before
     * (at once when that one took longer): it reads the ids of the messages committed since the
     * last round, by the messages table's primary key, then the version and last seq of the
     * watched workflows they name, and, as the backstop, in some rounds those of 500 watched
     * workflows, so that every watched state is read once per
     * {@code max(reconcileInterval, watched / 500 × changePollInterval)}. Idle, that is at most
     * two queries per interval however many workflows are watched.
     *
     * <p>The bound: a commit by another process that appends a message (every message a person
     * sends, and every pause, resume and finishing) and took less than one second from its
     * first insert to its commit is told to the listeners here, and so seen by the next
     * {@code check()}, at most one interval after it committed plus the round's two queries.
     * Anything else (a commit that moved only the version, a longer transaction, one in flight
     * when the store began to listen) within two backstop cycles and one round.
     *
     * @param changePollInterval the interval, from {@value #MIN_INTERVAL_MILLIS} ms to one minute
     * @return this builder
     * @throws NullPointerException     when {@code changePollInterval} is null
     * @throws IllegalArgumentException when {@code changePollInterval} is out of that range
     */
    public JdbcThreadStoreBuilder changePollInterval(Duration changePollInterval) {
        Objects.requireNonNull(changePollInterval, "changePollInterval");
        if (changePollInterval.toMillis() < MIN_INTERVAL_MILLIS || changePollInterval.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new IllegalArgumentException("changePollInterval must be from " + MIN_INTERVAL_MILLIS
                    + "ms to 1 minute, but was " + changePollInterval);
        }
        this.changePollInterval = changePollInterval;
        return this;
    }

    /**
     * On PostgreSQL, whether to hear of other processes' changes through
     * {@code LISTEN}/{@code NOTIFY} (the default) rather than by polling. Every process sharing
     * the tables must use the same setting: a process with notifications off does not send
     * them either.
     *
     * @param notifications true to use {@code LISTEN}/{@code NOTIFY} on PostgreSQL, false to poll
     * @return this builder
     */
    public JdbcThreadStoreBuilder notifications(boolean notifications) {
        this.notifications = notifications;
        return this;
    }

    /**
     * Where the connection that listens for notifications on PostgreSQL comes from. It is held
     * open for as long as the store is, so it should not come from a pool. Unless set: a store
     * made from a {@link #url} connects with the same URL and credentials; one given a
     * {@code HikariDataSource} with a JDBC URL connects with that pool's URL, credentials,
     * data-source properties and connection init SQL; otherwise one connection of the given
     * pool is taken and kept. It must reach PostgreSQL itself, not a pooler in transaction
     * mode, where {@code LISTEN} hears nothing.
     *
     * @param listenConnections where the listening connection comes from
     * @return this builder
     * @throws NullPointerException when {@code listenConnections} is null
     */
    public JdbcThreadStoreBuilder listenConnectionFactory(ConnectionFactory listenConnections) {
        this.listenConnections = Objects.requireNonNull(listenConnections, "listenConnectionFactory");
        return this;
    }

    /**
     * On PostgreSQL with notifications, how often the listening connection also reads the
     * version of the watched workflows: it shows the connection is alive, and catches a
     * change whose notification was lost (a writer that died in the
     * {@value PostgresNotifications#COALESCE_MILLIS} ms before sending it); with
     * {@link #changeSignals change signals}, how often the watched states are read while the
     * signals are heard, which catches a signal lost; where the store polls, the shortest cycle
     * in which its backstop reads every watched state once (see {@link #changePollInterval});
     * default 2 s, at least {@value #MIN_INTERVAL_MILLIS} ms.
     *
     * @param reconcileInterval the interval, at least {@value #MIN_INTERVAL_MILLIS} ms
     * @return this builder
     * @throws NullPointerException     when {@code reconcileInterval} is null
     * @throws IllegalArgumentException when {@code reconcileInterval} is shorter than that
     */
    public JdbcThreadStoreBuilder reconcileInterval(Duration reconcileInterval) {
        Objects.requireNonNull(reconcileInterval, "reconcileInterval");
        if (reconcileInterval.toMillis() < MIN_INTERVAL_MILLIS) {
            throw new IllegalArgumentException("reconcileInterval must be at least " + MIN_INTERVAL_MILLIS
                    + "ms, but was " + reconcileInterval);
        }
        this.reconcileInterval = reconcileInterval;
        return this;
    }

    /**
     * How the store wakes the other processes sharing its tables after each commit, and is
     * woken by theirs, instead of waiting for its next poll: for a database without
     * notifications (MySQL/MariaDB, H2), e.g. {@code RedisChangeSignals} of
     * {@code workflow-thread-redis}. A signal only makes the store read the signalled
     * workflows' states from the database; while the signals are heard it also reads every
     * watched state every {@link #reconcileInterval reconcile interval}, and while they are
     * not, every {@link #changePollInterval poll interval}, logging a warning. On PostgreSQL they
     * are used instead of {@code LISTEN}/{@code NOTIFY}. Every process sharing the tables
     * should use signals on the same channel: one without them neither sends nor hears them,
     * and is heard (and hears) within the poll or reconcile interval only. The store starts
     * them with its first change listener and closes them when it closes, so give each store
     * signals of its own.
     *
     * @param changeSignals the signals, started and closed by the store
     * @return this builder
     */
    public JdbcThreadStoreBuilder changeSignals(ChangeSignals changeSignals) {
        this.changeSignals = Objects.requireNonNull(changeSignals, "changeSignals");
        return this;
    }

    /**
     * Whether the comments of all threads of this JVM are committed together (the default): a
     * commit that only appends agent or system messages, without an idempotency key (an
     * {@link dev.workflowthread.AgentNarrator#say agent's comment}, a guard's reply), joins
     * whatever such commits are queued, across workflows, and one transaction stores them all:
     * their state rows locked in the order of their ids, the messages inserted with one
     * statement, each {@code last_seq} moved, one commit. Each call still returns only once its
     * own message is stored, with gap-free {@code seq}s in commit order per workflow; a commit
     * that finds no other one queued is written at once, without waiting for company. When the
     * shared transaction fails, each of its commits fails with the same
     * {@link StorageException} (or {@link dev.workflowthread.OutcomeUnknownException}) naming its
     * own workflow; a workflow without a state row fails only its own commits. Every other commit
     * (state changes, resolutions, idempotency keys, a person's messages) has a transaction of
     * its own, as with this off.
     *
     * @param groupCommit true to commit comments together, false for a transaction per commit
     * @return this builder
     */
    public JdbcThreadStoreBuilder groupCommit(boolean groupCommit) {
        this.groupCommit = groupCommit;
        return this;
    }

    /**
     * How long an operation waits for a free connection of the pool made for {@link #url};
     * default 10 s.
     *
     * @param connectionTimeout the longest wait, at least 250 ms
     * @return this builder
     * @throws NullPointerException     when {@code connectionTimeout} is null
     * @throws IllegalArgumentException when {@code connectionTimeout} is shorter than 250 ms
     */
    public JdbcThreadStoreBuilder connectionTimeout(Duration connectionTimeout) {
        Objects.requireNonNull(connectionTimeout, "connectionTimeout");
        if (connectionTimeout.toMillis() < 250) {
            throw new IllegalArgumentException("connectionTimeout must be at least 250ms, but was " + connectionTimeout);
        }
        this.connectionTimeout = connectionTimeout;
        return this;
    }

    /**
     * A prefix for the table names: empty (the default) or up to 40 characters of {@code a-z},
     * {@code 0-9} and {@code _}, starting with a letter.
     *
     * @param tablePrefix the prefix, possibly empty
     * @return this builder
     * @throws IllegalArgumentException when {@code tablePrefix} is null or not of that form
     */
    public JdbcThreadStoreBuilder tablePrefix(String tablePrefix) {
        this.tablePrefix = Tables.withPrefix(tablePrefix).prefix();
        return this;
    }

    /**
     * What to do about the tables when the store is built; default {@link SchemaMode#CREATE}.
     *
     * @param schemaMode create the missing tables, only validate them, or leave them alone
     * @return this builder
     * @throws NullPointerException when {@code schemaMode} is null
     */
    public JdbcThreadStoreBuilder schemaMode(SchemaMode schemaMode) {
        this.schemaMode = Objects.requireNonNull(schemaMode, "schemaMode");
        return this;
    }

    /**
     * Told each time a transaction is tried again after a deadlock or a serialization failure
     * ({@link WorkflowThreadObserver#storeRetried}); what it throws is logged and ignored.
     * The same observer as the service's {@link dev.workflowthread.WorkflowThreadConfig.Builder#observer},
     * typically. Default {@link WorkflowThreadObserver#none()}.
     *
     * @param observer the observer
     * @return this builder
     * @throws NullPointerException when {@code observer} is null
     */
    public JdbcThreadStoreBuilder observer(WorkflowThreadObserver observer) {
        Objects.requireNonNull(observer, "observer");
        this.observer = WorkflowThreadObserver.all(List.of(observer));
        return this;
    }

    /**
     * The database's dialect, instead of detecting it from the connection.
     *
     * @param dialect the dialect to use
     * @return this builder
     * @throws NullPointerException when {@code dialect} is null
     */
    public JdbcThreadStoreBuilder dialect(JdbcDialect dialect) {
        this.dialect = Objects.requireNonNull(dialect, "dialect");
        return this;
    }

    /**
     * Connects, detects the dialect, and prepares the schema as the {@link SchemaMode} says.
     *
     * @return the store, ready for use; close it when done
     * @throws IllegalStateException when not exactly one of dataSource, jdbi and url was given
     * @throws StorageException      when the database cannot be reached or the schema is not right
     */
    public JdbcThreadStore build() {
        int sources = (dataSource == null ? 0 : 1) + (jdbi == null ? 0 : 1) + (url == null ? 0 : 1);
        if (sources != 1) {
            throw new IllegalStateException("give the store exactly one of dataSource, jdbi and url, but "
                    + sources + " were given");
        }
        Tables tables = Tables.withPrefix(tablePrefix);
        HikariDataSource pool = url == null ? null
                : Connections.pool(url, username, password, maximumPoolSize, connectionTimeout);
        try {
            Jdbi database = jdbi != null ? jdbi : Connections.jdbi(pool != null ? pool : dataSource);
            JdbcDialect detected = dialect != null ? dialect : Connections.detect(database);
            new Schema(database, detected, tables).apply(schemaMode);
            boolean notifying = detected == JdbcDialect.POSTGRESQL && notifications && changeSignals == null
                    && Connections.pgjdbcPresent();
            ConnectionFactory listening = !notifying ? null : listenConnections != null ? listenConnections
                    : Connections.listenConnections(url, username, password, dataSource, database);
            String scope = notifying ? Connections.stateTableSchema(database, tables) : null;
            HikariDataSource evictFrom = pool != null ? pool
                    : dataSource instanceof HikariDataSource hikari ? hikari : null;
            return new JdbcThreadStore(database, detected, tables, pool, evictFrom, changePollInterval, listening, scope,
                    reconcileInterval, observer, changeSignals, groupCommit);
        } catch (RuntimeException e) {
            if (pool != null) {
                pool.close();
            }
            throw e;
        }
    }
}
