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
 *       {@code seq}s and writes the state, in one transaction; a conflict rolls all of it back.
 *       Comments (commits that only append agent or system messages without idempotency keys)
 *       of all threads share transactions instead, unless
 *       {@link JdbcThreadStoreBuilder#groupCommit(boolean) group commit} is off.</li>
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
 *   <li>on H2 and MySQL/MariaDB by reading, every {@link JdbcThreadStoreBuilder#changePollInterval(Duration)
 *       poll interval}, the ids of the messages committed since, then the version and last seq of the
 *       watched workflows they name: a few queries by primary key, whatever the number watched;</li>
 *   <li>with {@link JdbcThreadStoreBuilder#changeSignals(ChangeSignals) change signals} (Redis pub/sub, from
 *       {@code workflow-thread-redis}): within milliseconds, as every commit signals the other
 *       processes after it committed, and each reads the states of the workflows signalled; the
 *       watched states are read every {@link JdbcThreadStoreBuilder#reconcileInterval(Duration) reconcile
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
    /** Null when group commit is off. */
    private final GroupCommit groupCommit;

    JdbcThreadStore(Jdbi jdbi, JdbcDialect dialect, Tables tables, HikariDataSource ownedPool,
                            HikariDataSource evictFrom, Duration changePollInterval, ConnectionFactory listenConnections, String scope,
                            Duration reconcileInterval, WorkflowThreadObserver observer, ChangeSignals signals,
                            boolean groupCommit) {
        this.dialect = dialect;
        this.tables = tables;
        this.ownedPool = ownedPool;
        this.transactions = new Transactions(jdbi, evictFrom, observer);
        Statements sql = new Statements(tables, dialect);
        this.reads = new Reads(sql);
        this.writes = new Writes(sql);
        this.groupCommit = groupCommit ? new GroupCommit(transactions, new CommentBatch(tables, dialect, sql)) : null;
        this.watcher = new ChangeWatcher(transactions, sql);
        this.otherProcesses = new OtherProcesses(watcher, listenConnections == null ? null
                : new PostgresNotifications(jdbi, tables, scope, changePollInterval, reconcileInterval), signals,
                listenConnections, changePollInterval, reconcileInterval);
    }

    /**
     * Starts building a store; give it a {@code DataSource}, a {@code Jdbi} or a JDBC URL.
     *
     * @return a new builder with every setting at its default
     */
    public static JdbcThreadStoreBuilder builder() {
        return new JdbcThreadStoreBuilder();
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
     * @return the table's name, with the {@link JdbcThreadStoreBuilder#tablePrefix table prefix}
     */
    public String stateTable() {
        return tables.state();
    }

    /**
     * The name of the table of messages.
     *
     * @return the table's name, with the {@link JdbcThreadStoreBuilder#tablePrefix table prefix}
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
        WorkflowState before;
        CommitResult result;
        if (groupCommit != null && CommentBatch.qualifies(commit)) {
            CommentBatch.Outcome outcome = groupCommit.commit(commit);
            before = outcome.before();
            result = outcome.result();
        } else {
            WorkflowState[] locked = new WorkflowState[1];
            result = commitAlone(commit, locked);
            if (result.replayed() || !result.committed()) {
                return result;
            }
            before = locked[0];
        }
        StoreChange change = change(before, result.state());
        if (commit.changesState() || change.lastSeq() != change.previousLastSeq()) {
            otherProcesses.committed(change); // after the commit, never before
        }
        watcher.committed(change);
        if (!commit.changesState() && change.lastSeq() != change.previousLastSeq()) {
            otherProcesses.notifySoon(change);
        }
        return result;
    }

    /** A commit in a transaction of its own; {@code before} gets the state it found. */
    private CommitResult commitAlone(Commit commit, WorkflowState[] before) {
        long workflowId = commit.workflowId();
        CommitResult result;
        try {
            result = transactions.transaction("commit to workflow " + workflowId, hasKeys(commit), handle -> {
                WorkflowState state = writes.lockState(handle, workflowId);
                before[0] = state;
                // On PostgreSQL the NOTIFY goes in the statement that updates the state: no round trip of its own.
                return writes.apply(handle, commit, state, after -> otherProcesses.noticeOf(change(state, after)));
            });
        } catch (Writes.Conflict conflict) {
            return CommitResult.conflict(conflict.current());
        }
        return result;
    }

    /** How many comments wait for a group commit now; for tests. */
    int queuedComments() {
        return groupCommit == null ? 0 : groupCommit.queued();
    }

    /** The most comments one group commit held so far; for tests. */
    int largestCommentBatch() {
        return groupCommit == null ? 0 : groupCommit.largestBatch();
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
     * {@link JdbcThreadStoreBuilder#changeSignals change signals}, and closes the connection pool if the store
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
}
