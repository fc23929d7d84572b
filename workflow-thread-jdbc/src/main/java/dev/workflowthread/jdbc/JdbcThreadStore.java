package dev.workflowthread.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import dev.workflowthread.Message;
import dev.workflowthread.OutcomeUnknownException;
import dev.workflowthread.PurgeResult;
import dev.workflowthread.StorageException;
import dev.workflowthread.Subscription;
import dev.workflowthread.WorkflowState;
import dev.workflowthread.WorkflowThreadObserver;
import dev.workflowthread.spi.Commit;
import dev.workflowthread.spi.CommitResult;
import dev.workflowthread.spi.OpenMessage;
import dev.workflowthread.spi.StoreChange;
import dev.workflowthread.spi.StoreChangeListener;
import dev.workflowthread.spi.ThreadStore;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import org.jdbi.v3.core.ConnectionFactory;
import org.jdbi.v3.core.Jdbi;

/**
 * A {@link ThreadStore} in a relational database: H2, PostgreSQL, or MySQL/MariaDB, through Jdbi.
 * Several processes may share one database; the database's locks make every operation safe across
 * them.
 *
 * <pre>{@code
 * JdbcThreadStore store = JdbcThreadStore.builder()
 *         .dataSource(hostDataSource)      // or .url("jdbc:postgresql://...") to get a pool of its own
 *         .tablePrefix("wt_")              // optional
 *         .build();                        // creates the tables that are missing
 * WorkflowMessages messages = WorkflowMessages.create(store, config);
 * }</pre>
 *
 * <p>How it keeps the SPI's promises:
 * <ul>
 *   <li>A commit locks the workflow's state row ({@code SELECT … FOR UPDATE}), checks the expected
 *       version, closes messages with conditional updates, appends messages with the next
 *       {@code seq}s and writes the state, in one transaction; a conflict rolls all of it back.</li>
 *   <li>A claim is one conditional {@code UPDATE} by primary key.</li>
 *   <li>A purge batch finds the oldest finished workflows by the index on
 *       {@code (finished_at, workflow_id)}, locks each one's state row as a commit does, checks it
 *       again, and deletes its oldest messages by {@code (workflow_id, seq)} range, then its state
 *       with its last message, all in one transaction of at most the batch's messages.</li>
 *   <li>Deadlocks and serialization failures (SQLState {@code 40001}, {@code 40P01}) are retried
 *       up to {@value #MAX_DEADLOCK_ATTEMPTS} times in all; any other failure is a {@link StorageException}
 *       naming the operation, after which the database holds nothing of it, except when the
 *       connection failed during the commit itself: then it is an {@link OutcomeUnknownException}
 *       (the transaction may be stored whole). Once the commit returned, the operation succeeded:
 *       a failure after it (restoring auto-commit on a closing connection) drops the connection
 *       from a HikariCP pool and is not reported as a failure.</li>
 *   <li>A message's idempotency key is looked up under the state row's lock before anything is
 *       written, and a unique index on {@code (workflow_id, idempotency_key)} backs it.</li>
 *   <li>Times are stored as UTC with millisecond precision, bound as {@link LocalDateTime} in UTC,
 *       so neither the JVM's nor the database session's time zone changes them.</li>
 * </ul>
 *
 * <p>Change listeners hear of the commits made through this store object at once, in commit order
 * per workflow, so checkpoints in this JVM wake with no database round trip. They also hear of
 * the commits other processes make to the workflows they watch ({@link #notifiesAllChanges()} is
 * true):
 * <ul>
 *   <li>on PostgreSQL through {@code LISTEN}/{@code NOTIFY} (see {@link PostgresNotifications}):
 *       within milliseconds; a commit that changes a workflow's state notifies in its own
 *       transaction, appends are gathered and notified about every
 *       {@value PostgresNotifications#COALESCE_MILLIS} ms;</li>
 *   <li>on H2 and MySQL/MariaDB by reading the watched workflows' version and last seq, one
 *       query by primary key per {@link Builder#pollInterval(Duration) poll interval};</li>
 *   <li>with {@link Builder#changeSignals(ChangeSignals) change signals} (Redis pub/sub, from
 *       {@code workflow-thread-redis}): within milliseconds, as every commit signals the other
 *       processes after it committed, and each reads the states of the workflows signalled; the
 *       watched states are read every {@link Builder#reconcileInterval(Duration) reconcile
 *       interval} as well, and every poll interval while the signals are not heard.</li>
 * </ul>
 * After a lost connection or a database restart, the state of every watched workflow is read
 * again, so no change is missed.
 */
public final class JdbcThreadStore implements ThreadStore {
    /**
     * How many times in all a transaction is tried when the database reports a deadlock or a
     * serialization failure (or, for a commit with idempotency keys, a duplicate key).
     */
    public static final int MAX_DEADLOCK_ATTEMPTS = Transactions.DEADLOCK_ATTEMPTS;

    private final JdbcDialect dialect;
    private final Tables tables;
    private final HikariDataSource ownedPool;
    private final Transactions transactions;
    private final Reads reads;
    private final Writes writes;
    private final ChangeWatcher watcher;
    private final OtherProcesses otherProcesses;

    private JdbcThreadStore(Jdbi jdbi, JdbcDialect dialect, Tables tables, HikariDataSource ownedPool,
                            HikariDataSource evictFrom, Duration pollInterval, ConnectionFactory listenConnections, String scope,
                            Duration reconcileInterval, WorkflowThreadObserver observer, ChangeSignals signals) {
        this.dialect = dialect;
        this.tables = tables;
        this.ownedPool = ownedPool;
        this.transactions = new Transactions(jdbi, evictFrom, observer);
        Statements sql = new Statements(tables, dialect);
        this.reads = new Reads(sql);
        this.writes = new Writes(sql);
        this.watcher = new ChangeWatcher(transactions, sql.selectVersions);
        this.otherProcesses = new OtherProcesses(watcher, listenConnections == null ? null
                : new PostgresNotifications(jdbi, tables, scope, pollInterval, reconcileInterval), signals,
                listenConnections, pollInterval, reconcileInterval);
    }

    /**
     * Starts building a store; give it a {@code DataSource}, a {@code Jdbi} or a JDBC URL.
     *
     * @return a new builder with every setting at its default
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The database dialect in use.
     *
     * @return the dialect given to the builder, or the one detected from the connection
     */
    public JdbcDialect dialect() {
        return dialect;
    }

    /**
     * The name of the table of workflow states.
     *
     * @return the table's name, with the {@link Builder#tablePrefix table prefix}
     */
    public String stateTable() {
        return tables.state();
    }

    /**
     * The name of the table of messages.
     *
     * @return the table's name, with the {@link Builder#tablePrefix table prefix}
     */
    public String messageTable() {
        return tables.messages();
    }

    @Override
    public WorkflowState createIfAbsent(long workflowId, Instant now) {
        Optional<WorkflowState> existing = findState(workflowId);
        if (existing.isPresent()) {
            return existing.get();
        }
        try {
            // In a transaction of its own, so it commits even on a host's pool with auto-commit off.
            transactions.transaction("start workflow " + workflowId, handle -> writes.insertState(handle, workflowId, now));
            return WorkflowState.started(workflowId);
        } catch (StorageException e) {
            SQLException cause = Transactions.sqlCause(e);
            if (cause == null || !JdbcDialect.isIntegrityViolation(cause)) {
                throw e;
            }
            // Another caller created it first: its state is the answer.
            return findState(workflowId).orElseThrow(() -> e);
        }
    }

    @Override
    public Optional<WorkflowState> findState(long workflowId) {
        return transactions.use("read state of workflow " + workflowId, handle -> reads.state(handle, workflowId));
    }

    @Override
    public CommitResult commit(Commit commit) {
        transactions.requireOpen();
        return watcher.inCommitOrder(commit.workflowId(), () -> commitInOrder(commit));
    }

    private CommitResult commitInOrder(Commit commit) {
        long workflowId = commit.workflowId();
        WorkflowState[] before = new WorkflowState[1];
        CommitResult result;
        try {
            result = transactions.transaction("commit to workflow " + workflowId, hasKeys(commit), handle -> {
                WorkflowState state = writes.lockState(handle, workflowId);
                before[0] = state;
                CommitResult applied = writes.apply(handle, commit, state);
                if (commit.changesState()) {
                    otherProcesses.notifyWithCommit(handle, change(state, applied.state()));
                }
                return applied;
            });
        } catch (Writes.Conflict conflict) {
            return CommitResult.conflict(conflict.current());
        }
        if (result.replayed()) {
            return result;
        }
        StoreChange change = change(before[0], result.state());
        if (commit.changesState() || change.lastSeq() != change.previousLastSeq()) {
            otherProcesses.committed(change); // after the commit, never before
        }
        watcher.committed(change);
        if (!commit.changesState() && change.lastSeq() != change.previousLastSeq()) {
            otherProcesses.notifySoon(change);
        }
        return result;
    }

    private static StoreChange change(WorkflowState before, WorkflowState after) {
        return new StoreChange(after.workflowId(), after.version(), before.lastSeq(), after.lastSeq(), after.isFinished());
    }

    private static boolean hasKeys(Commit commit) {
        return commit.messages().stream().anyMatch(m -> m.idempotencyKey() != null);
    }

    @Override
    public List<Message> readAfter(long workflowId, long afterSeq, int limit) {
        return transactions.use("read messages of workflow " + workflowId,
                handle -> reads.after(handle, workflowId, afterSeq, limit));
    }

    @Override
    public List<Message> readNewest(long workflowId, int limit) {
        return transactions.use("read newest messages of workflow " + workflowId,
                handle -> reads.newest(handle, workflowId, limit));
    }

    @Override
    public List<OpenMessage> findOpenUserMessages(long workflowId, long afterSeq, int limit) {
        return transactions.use("read open messages of workflow " + workflowId,
                handle -> reads.openUserMessages(handle, workflowId, afterSeq, limit));
    }

    @Override
    public Optional<Message> findMessage(long messageId) {
        return transactions.use("read message " + messageId, handle -> reads.message(handle, messageId));
    }

    @Override
    public Optional<Message> claim(long messageId, String leaseOwner, Instant now, Instant leaseExpiresAt) {
        Objects.requireNonNull(leaseOwner, "leaseOwner");
        return transactions.transaction("claim message " + messageId,
                handle -> writes.claim(handle, messageId, leaseOwner, now, leaseExpiresAt)
                        ? reads.message(handle, messageId) : Optional.<Message>empty());
    }

    @Override
    public PurgeResult purgeFinished(Instant finishedBefore, int maxMessages) {
        Objects.requireNonNull(finishedBefore, "finishedBefore");
        if (maxMessages < 1) {
            throw new IllegalArgumentException("maxMessages must be at least 1, but was " + maxMessages);
        }
        return transactions.transaction("purge threads finished before " + finishedBefore,
                handle -> writes.purgeBatch(handle, finishedBefore, maxMessages));
    }

    @Override
    public Subscription addChangeListener(StoreChangeListener listener) {
        Objects.requireNonNull(listener, "listener");
        transactions.requireOpen();
        Subscription subscription = watcher.add(listener);
        otherProcesses.start();
        return subscription;
    }

    /**
     * True: listeners hear of every commit to the workflows they watch, from this JVM at once and
     * from other processes by notification (PostgreSQL) or within the poll interval.
     */
    @Override
    public boolean notifiesAllChanges() {
        return true;
    }

    /**
     * The channel this store listens and notifies on, when it uses PostgreSQL's notifications.
     *
     * @return the channel's name, or empty when the store does not use {@code LISTEN}/{@code NOTIFY}
     *         (another database, notifications off, or change signals given)
     */
    public Optional<String> notificationChannel() {
        return otherProcesses.channel();
    }

    /**
     * Stops watching other processes (sending the notifications still gathered), closes its
     * {@link Builder#changeSignals change signals}, and closes the connection pool if the store
     * made it from a URL; a given DataSource is left open.
     */
    @Override
    public void close() {
        transactions.close();
        otherProcesses.stop();
        watcher.storeClosed();
        if (ownedPool != null) {
            ownedPool.close();
        }
    }

    /**
     * Builds a {@link JdbcThreadStore}. Give it exactly one of {@link #dataSource}, {@link #jdbi}
     * or {@link #url}.
     */
    public static final class Builder {
        /** The pool size of a store made from a URL, unless set. */
        public static final int DEFAULT_MAXIMUM_POOL_SIZE = 10;
        /** How often other processes' changes are read on a database without notifications, unless set. */
        public static final long DEFAULT_POLL_INTERVAL_MILLIS = 100;
        /** {@link #DEFAULT_POLL_INTERVAL_MILLIS} as a {@code Duration}. */
        public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(DEFAULT_POLL_INTERVAL_MILLIS);
        static final long MIN_POLL_INTERVAL_MILLIS = 10;
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
        private Duration pollInterval = DEFAULT_POLL_INTERVAL;
        private boolean notifications = true;
        private ConnectionFactory listenConnections;
        private Duration reconcileInterval = DEFAULT_RECONCILE_INTERVAL;
        private WorkflowThreadObserver observer = WorkflowThreadObserver.none();
        private ChangeSignals changeSignals;

        private Builder() {
        }

        /**
         * The host's connection pool; the store never closes it.
         *
         * @param dataSource the pool the store takes its connections from
         * @return this builder
         * @throws NullPointerException when {@code dataSource} is null
         */
        public Builder dataSource(DataSource dataSource) {
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
        public Builder jdbi(Jdbi jdbi) {
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
        public Builder url(String url) {
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
        public Builder credentials(String username, String password) {
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
        public Builder maximumPoolSize(int maximumPoolSize) {
            if (maximumPoolSize < 1) {
                throw new IllegalArgumentException("maximumPoolSize must be positive, but was " + maximumPoolSize);
            }
            this.maximumPoolSize = maximumPoolSize;
            return this;
        }

        /**
         * How often the store reads the version of the workflows watched in this JVM, to see what
         * other processes changed, on databases without notifications (H2, MySQL/MariaDB, and
         * PostgreSQL with {@link #notifications(boolean)} off); default
         * {@value #DEFAULT_POLL_INTERVAL_MILLIS} ms, from {@value #MIN_POLL_INTERVAL_MILLIS} ms
         * to one minute. It bounds how late a checkpoint here sees a pause, resume, cancel or
         * instruction sent by another process, and how late a listener here hears of its messages.
         * One query by primary key per interval serves all the workflows watched.
         *
         * @param pollInterval the interval, from {@value #MIN_POLL_INTERVAL_MILLIS} ms to one minute
         * @return this builder
         * @throws NullPointerException     when {@code pollInterval} is null
         * @throws IllegalArgumentException when {@code pollInterval} is out of that range
         */
        public Builder pollInterval(Duration pollInterval) {
            Objects.requireNonNull(pollInterval, "pollInterval");
            if (pollInterval.toMillis() < MIN_POLL_INTERVAL_MILLIS || pollInterval.compareTo(Duration.ofMinutes(1)) > 0) {
                throw new IllegalArgumentException("pollInterval must be from " + MIN_POLL_INTERVAL_MILLIS
                        + "ms to 1 minute, but was " + pollInterval);
            }
            this.pollInterval = pollInterval;
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
        public Builder notifications(boolean notifications) {
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
        public Builder listenConnectionFactory(ConnectionFactory listenConnections) {
            this.listenConnections = Objects.requireNonNull(listenConnections, "listenConnectionFactory");
            return this;
        }

        /**
         * On PostgreSQL with notifications, how often the listening connection also reads the
         * version of the watched workflows: it shows the connection is alive, and catches a
         * change whose notification was lost (a writer that died in the
         * {@value PostgresNotifications#COALESCE_MILLIS} ms before sending it); with
         * {@link #changeSignals change signals}, how often the watched states are read while the
         * signals are heard, which catches a signal lost; default 2 s, at least
         * {@value #MIN_POLL_INTERVAL_MILLIS} ms.
         *
         * @param reconcileInterval the interval, at least {@value #MIN_POLL_INTERVAL_MILLIS} ms
         * @return this builder
         * @throws NullPointerException     when {@code reconcileInterval} is null
         * @throws IllegalArgumentException when {@code reconcileInterval} is shorter than that
         */
        public Builder reconcileInterval(Duration reconcileInterval) {
            Objects.requireNonNull(reconcileInterval, "reconcileInterval");
            if (reconcileInterval.toMillis() < MIN_POLL_INTERVAL_MILLIS) {
                throw new IllegalArgumentException("reconcileInterval must be at least " + MIN_POLL_INTERVAL_MILLIS
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
         * not, every {@link #pollInterval poll interval}, logging a warning. On PostgreSQL they
         * are used instead of {@code LISTEN}/{@code NOTIFY}. Every process sharing the tables
         * should use signals on the same channel: one without them neither sends nor hears them,
         * and is heard (and hears) within the poll or reconcile interval only. The store starts
         * them with its first change listener and closes them when it closes, so give each store
         * signals of its own.
         *
         * @param changeSignals the signals, started and closed by the store
         * @return this builder
         */
        public Builder changeSignals(ChangeSignals changeSignals) {
            this.changeSignals = Objects.requireNonNull(changeSignals, "changeSignals");
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
        public Builder connectionTimeout(Duration connectionTimeout) {
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
        public Builder tablePrefix(String tablePrefix) {
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
        public Builder schemaMode(SchemaMode schemaMode) {
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
        public Builder observer(WorkflowThreadObserver observer) {
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
        public Builder dialect(JdbcDialect dialect) {
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
                return new JdbcThreadStore(database, detected, tables, pool, evictFrom, pollInterval, listening, scope,
                        reconcileInterval, observer, changeSignals);
            } catch (RuntimeException e) {
                if (pool != null) {
                    pool.close();
                }
                throw e;
            }
        }
    }
}
