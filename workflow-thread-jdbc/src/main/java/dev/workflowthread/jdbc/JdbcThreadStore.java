package dev.workflowthread.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.workflowthread.ActionStatus;
import dev.workflowthread.ActionType;
import dev.workflowthread.InvalidMessageException;
import dev.workflowthread.Message;
import dev.workflowthread.OutcomeUnknownException;
import dev.workflowthread.MessageType;
import dev.workflowthread.PurgeResult;
import dev.workflowthread.StorageException;
import dev.workflowthread.Subscription;
import dev.workflowthread.WorkflowNotFoundException;
import dev.workflowthread.WorkflowState;
import dev.workflowthread.WorkflowStatus;
import dev.workflowthread.spi.Commit;
import dev.workflowthread.spi.CommitResult;
import dev.workflowthread.spi.MetadataCodec;
import dev.workflowthread.spi.NewMessage;
import dev.workflowthread.spi.OpenMessage;
import dev.workflowthread.spi.Resolution;
import dev.workflowthread.spi.StateUpdate;
import dev.workflowthread.spi.StoreChange;
import dev.workflowthread.spi.StoreChangeListener;
import dev.workflowthread.spi.ThreadStore;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.jdbi.v3.core.ConnectionFactory;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Handles;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.argument.Argument;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.Update;
import org.jdbi.v3.core.transaction.TransactionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 *       up to {@value #MAX_ATTEMPTS} times in all; any other failure is a {@link StorageException}
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
 *       query by primary key per {@link Builder#pollInterval(Duration) poll interval}.</li>
 * </ul>
 * After a lost connection or a database restart, the state of every watched workflow is read
 * again, so no change is missed.
 */
public final class JdbcThreadStore implements ThreadStore {
    /** How many times in all a transaction is tried when the database reports a deadlock. */
    public static final int MAX_ATTEMPTS = 5;

    private static final Logger LOG = LoggerFactory.getLogger(JdbcThreadStore.class);
    private static final int STRIPES = 256;
    /** Workflows whose state one query reads. */
    private static final int STATE_READ_BATCH = 500;
    /** The most finished workflows one purge batch looks at. */
    private static final int PURGE_CANDIDATES = 500;

    private final Jdbi jdbi;
    private final JdbcDialect dialect;
    private final Tables tables;
    private final HikariDataSource ownedPool;
    /** The HikariCP pool the connections come from, when known: one that failed after a commit is dropped. */
    private final HikariDataSource evictFrom;
    private final Statements sql;
    private final List<StoreChangeListener> listeners = new CopyOnWriteArrayList<>();
    private final ChangeWatcher watcher;
    /** Null unless on PostgreSQL with notifications on. */
    private final PostgresNotifications notifications;
    private final ConnectionFactory listenConnections;
    private final Duration pollInterval;
    /** Guards {@link #watching} and {@link #poller}. */
    private final Object watchingLock = new Object();
    /** Whether watching other processes started, and the polling thread if any. */
    private boolean watching;
    private Thread poller;
    /** Commits of one workflow in this JVM are told to listeners in their commit order. */
    private final ReentrantLock[] commitOrder = new ReentrantLock[STRIPES];
    private volatile boolean closed;

    private JdbcThreadStore(Jdbi jdbi, JdbcDialect dialect, Tables tables, HikariDataSource ownedPool,
                            HikariDataSource evictFrom, Duration pollInterval, ConnectionFactory listenConnections, String scope,
                            Duration reconcileInterval) {
        this.jdbi = jdbi;
        this.dialect = dialect;
        this.tables = tables;
        this.ownedPool = ownedPool;
        this.evictFrom = evictFrom;
        this.sql = new Statements(tables, dialect);
        this.pollInterval = pollInterval;
        this.listenConnections = listenConnections;
        this.notifications = listenConnections == null ? null
                : new PostgresNotifications(jdbi, tables, scope, pollInterval, reconcileInterval);
        this.watcher = new ChangeWatcher(listeners, this::readStates, this::tellInOrder);
        for (int i = 0; i < STRIPES; i++) {
            commitOrder[i] = new ReentrantLock();
        }
    }

    /** Starts building a store; give it a {@code DataSource}, a {@code Jdbi} or a JDBC URL. */
    public static Builder builder() {
        return new Builder();
    }

    /** The database dialect in use. */
    public JdbcDialect dialect() {
        return dialect;
    }

    /** The name of the table of workflow states. */
    public String stateTable() {
        return tables.state();
    }

    /** The name of the table of messages. */
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
            transaction("start workflow " + workflowId, handle -> handle.createUpdate(sql.insertState)
                    .bind("workflowId", workflowId)
                    .bind("status", WorkflowStatus.RUNNING.wireName())
                    .bind("createdAt", timestamp(now))
                    .execute());
            return WorkflowState.started(workflowId);
        } catch (StorageException e) {
            SQLException cause = sqlCause(e);
            if (cause == null || !JdbcDialect.isIntegrityViolation(cause)) {
                throw e;
            }
            // Another caller created it first: its state is the answer.
            return findState(workflowId).orElseThrow(() -> e);
        }
    }

    @Override
    public Optional<WorkflowState> findState(long workflowId) {
        return use("read state of workflow " + workflowId, handle -> handle.createQuery(sql.selectState)
                .bind("workflowId", workflowId)
                .map((rs, ctx) -> state(rs))
                .findOne());
    }

    @Override
    public CommitResult commit(Commit commit) {
        requireOpen();
        long workflowId = commit.workflowId();
        ReentrantLock order = commitOrder(workflowId);
        order.lock();
        try {
            WorkflowState[] before = new WorkflowState[1];
            CommitResult result;
            try {
                result = transaction("commit to workflow " + workflowId, hasKeys(commit), handle -> {
                    WorkflowState state = handle.createQuery(sql.lockState)
                            .bind("workflowId", workflowId)
                            .map((rs, ctx) -> state(rs))
                            .findOne()
                            .orElseThrow(() -> new WorkflowNotFoundException(workflowId));
                    before[0] = state;
                    CommitResult applied = apply(handle, commit, state);
                    if (notifications != null && commit.changesState()) {
                        notifications.notifyWithCommit(handle, change(state, applied.state()));
                    }
                    return applied;
                });
            } catch (Conflict conflict) {
                return CommitResult.conflict(conflict.current);
            }
            if (result.replayed()) {
                return result;
            }
            StoreChange change = change(before[0], result.state());
            tell(change);
            watcher.told(change);
            if (notifications != null && !commit.changesState() && change.lastSeq() != change.previousLastSeq()) {
                notifications.notifySoon(change);
            }
            return result;
        } finally {
            order.unlock();
        }
    }

    private static StoreChange change(WorkflowState before, WorkflowState after) {
        return new StoreChange(after.workflowId(), after.version(), before.lastSeq(), after.lastSeq(), after.isFinished());
    }

    private static boolean hasKeys(Commit commit) {
        return commit.messages().stream().anyMatch(m -> m.idempotencyKey() != null);
    }

    /** Everything of a commit but the state row's lock; throws {@link Conflict} to roll back. */
    private CommitResult apply(Handle handle, Commit commit, WorkflowState before) {
        long workflowId = commit.workflowId();
        // Under the state row's lock: of the commits with one key, in any process, the first
        // stores its message and every later one finds it here.
        List<Message> stored = new ArrayList<>();
        for (NewMessage draft : commit.messages()) {
            if (draft.idempotencyKey() != null) {
                handle.createQuery(sql.selectByKey)
                        .bind("workflowId", workflowId)
                        .bind("idempotencyKey", draft.idempotencyKey())
                        .map((rs, ctx) -> message(rs))
                        .findOne()
                        .ifPresent(stored::add);
            }
        }
        if (!stored.isEmpty()) {
            return CommitResult.replayed(before, stored);
        }
        if (commit.changesState() && before.version() != commit.expectedVersion()) {
            throw new Conflict(before);
        }
        for (Resolution resolution : commit.resolutions()) {
            boolean held = resolution.leaseOwner() != null;
            Update close = handle.createUpdate(held ? sql.resolveHeld : sql.resolveOpen)
                    .bind("outcome", resolution.outcome().wireName())
                    .bind("id", resolution.messageId())
                    .bind("workflowId", workflowId);
            if (held) {
                close.bind("leaseOwner", resolution.leaseOwner());
            }
            int changed = close.execute();
            if (changed == 0 && resolution.required()) {
                throw new Conflict(before);
            }
        }
        List<Message> appended = new ArrayList<>(commit.messages().size());
        long seq = before.lastSeq();
        for (NewMessage draft : commit.messages()) {
            seq++;
            Instant createdAt = draft.createdAt().truncatedTo(ChronoUnit.MILLIS);
            boolean open = draft.messageType() == MessageType.USER && draft.actionStatus().isOpen();
            long id = handle.createUpdate(sql.insertMessage)
                    .bind("workflowId", workflowId)
                    .bind("seq", seq)
                    .bind("agentExecutionId", draft.agentExecutionId())
                    .bind("messageType", draft.messageType().wireName())
                    .bind("agentType", draft.agentType())
                    .bind("content", draft.content())
                    .bind("metadata", json(draft.metadata()))
                    .bind("actionType", draft.actionType().wireName())
                    .bind("actionStatus", draft.actionStatus().wireName())
                    .bind("createdAt", timestamp(createdAt))
                    .bind("author", draft.author())
                    .bind("openSeq", open ? seq : null)
                    .bind("idempotencyKey", draft.idempotencyKey())
                    .executeAndReturnGeneratedKeys("id")
                    .mapTo(Long.class)
                    .one();
            appended.add(new Message(id, workflowId, seq, draft.agentExecutionId(), draft.messageType(),
                    draft.agentType(), draft.content(), draft.metadata(), draft.actionType(), draft.actionStatus(),
                    createdAt, draft.author()));
        }
        WorkflowState after;
        StateUpdate update = commit.stateUpdate();
        if (update == null) {
            after = before.withLastSeq(seq);
            if (seq != before.lastSeq()) {
                handle.createUpdate(sql.updateLastSeq).bind("workflowId", workflowId).bind("lastSeq", seq).execute();
            }
        } else {
            after = update.truncatedTo(ChronoUnit.MILLIS).applyTo(before, seq);
            boolean finishing = !before.isFinished() && after.isFinished();
            String statement = finishing ? sql.updateStateFinishing
                    : before.isFinished() && !after.isFinished() ? sql.updateStateUnfinishing : sql.updateState;
            Update write = handle.createUpdate(statement);
            if (finishing) {
                // When it finished: the time of the commit's newest message (the library appends
                // one to every commit that finishes a workflow), else now.
                write.bind("finishedAt", timestamp(appended.isEmpty() ? Instant.now()
                        : appended.get(appended.size() - 1).createdAt()));
            }
            write.bind("workflowId", workflowId)
                    .bind("status", after.status().wireName())
                    .bind("paused", after.paused())
                    .bind("pauseRequestedAt", timestamp(after.pauseRequestedAt()))
                    .bind("pauseReason", after.pauseReason())
                    .bind("pausedAt", timestamp(after.pausedAt()))
                    .bind("redirectedTo", after.redirectedTo())
                    .bind("statusReason", after.statusReason())
                    .bind("lastSeq", seq)
                    .bind("version", after.version())
                    .execute();
        }
        return CommitResult.committed(after, appended);
    }

    @Override
    public List<Message> readAfter(long workflowId, long afterSeq, int limit) {
        return use("read messages of workflow " + workflowId, handle -> handle.createQuery(sql.selectAfter)
                .bind("workflowId", workflowId)
                .bind("afterSeq", afterSeq)
                .bind("limit", limit)
                .map((rs, ctx) -> message(rs))
                .list());
    }

    @Override
    public List<Message> readNewest(long workflowId, int limit) {
        List<Message> newestFirst = use("read newest messages of workflow " + workflowId,
                handle -> handle.createQuery(sql.selectNewest)
                        .bind("workflowId", workflowId)
                        .bind("limit", limit)
                        .map((rs, ctx) -> message(rs))
                        .list());
        List<Message> ascending = new ArrayList<>(newestFirst);
        Collections.reverse(ascending);
        return ascending;
    }

    @Override
    public List<OpenMessage> findOpenUserMessages(long workflowId, long afterSeq, int limit) {
        return use("read open messages of workflow " + workflowId, handle -> handle.createQuery(sql.selectOpen)
                .bind("workflowId", workflowId)
                .bind("afterSeq", afterSeq)
                .bind("limit", limit)
                .map((rs, ctx) -> new OpenMessage(message(rs), rs.getString("lease_owner"),
                        instant(rs, "lease_expires_at")))
                .list());
    }

    @Override
    public Optional<Message> findMessage(long messageId) {
        return use("read message " + messageId, handle -> findMessage(handle, messageId));
    }

    @Override
    public Optional<Message> claim(long messageId, String leaseOwner, Instant now, Instant leaseExpiresAt) {
        Objects.requireNonNull(leaseOwner, "leaseOwner");
        return transaction("claim message " + messageId, handle -> {
            int changed = handle.createUpdate(sql.claim)
                    .bind("id", messageId)
                    .bind("leaseOwner", leaseOwner)
                    .bind("leaseExpiresAt", timestamp(leaseExpiresAt))
                    .bind("now", timestamp(now))
                    .execute();
            return changed == 0 ? Optional.<Message>empty() : findMessage(handle, messageId);
        });
    }

    @Override
    public PurgeResult purgeFinished(Instant finishedBefore, int maxMessages) {
        Objects.requireNonNull(finishedBefore, "finishedBefore");
        if (maxMessages < 1) {
            throw new IllegalArgumentException("maxMessages must be at least 1, but was " + maxMessages);
        }
        return transaction("purge threads finished before " + finishedBefore, handle -> {
            List<Long> candidates = handle.createQuery(sql.selectPurgeCandidates)
                    .bind("finishedBefore", timestamp(finishedBefore))
                    .bind("limit", Math.min(maxMessages, PURGE_CANDIDATES))
                    .mapTo(Long.class)
                    .list();
            long budget = maxMessages;
            long workflows = 0;
            long messages = 0;
            for (long workflowId : candidates) {
                if (budget == 0) {
                    break;
                }
                // Held as a commit holds it, and checked again: still finished, still old enough.
                Optional<Long> lastSeq = handle.createQuery(sql.lockFinishedState)
                        .bind("workflowId", workflowId)
                        .bind("finishedBefore", timestamp(finishedBefore))
                        .mapTo(Long.class)
                        .findOne();
                if (lastSeq.isEmpty()) {
                    continue; // purged by another process meanwhile
                }
                Optional<Long> oldest = handle.createQuery(sql.lockOldestMessage)
                        .bind("workflowId", workflowId)
                        .mapTo(Long.class)
                        .findOne();
                if (oldest.isPresent()) {
                    // seqs are gap-free, so this range holds at most budget messages.
                    long upTo = oldest.get() + budget - 1;
                    int deleted = handle.createUpdate(sql.deleteMessagesUpTo)
                            .bind("workflowId", workflowId)
                            .bind("upTo", upTo)
                            .execute();
                    budget -= deleted;
                    messages += deleted;
                    if (upTo < lastSeq.get()) {
                        break; // the rest of this thread is for the next batch
                    }
                }
                handle.createUpdate(sql.deleteState).bind("workflowId", workflowId).execute();
                workflows++;
            }
            return new PurgeResult(workflows, messages);
        });
    }

    @Override
    public Subscription addChangeListener(StoreChangeListener listener) {
        Objects.requireNonNull(listener, "listener");
        requireOpen();
        listeners.add(listener);
        startWatching();
        return () -> listeners.remove(listener);
    }

    /**
     * True: listeners hear of every commit to the workflows they watch, from this JVM at once and
     * from other processes by notification (PostgreSQL) or within the poll interval.
     */
    @Override
    public boolean notifiesAllChanges() {
        return true;
    }

    /** The channel this store listens and notifies on, when it uses PostgreSQL's notifications. */
    public Optional<String> notificationChannel() {
        return notifications == null ? Optional.empty() : Optional.of(notifications.channel());
    }

    private void startWatching() {
        synchronized (watchingLock) {
            if (watching || closed) {
                return;
            }
            watching = true;
            if (notifications != null) {
                notifications.listen(listenConnections, watcher);
            } else {
                poller = ChangeWatcher.loop("workflow-thread-poll", pollInterval, PostgresNotifications.MAX_BACKOFF,
                        () -> closed, watcher::reconcile);
            }
        }
    }

    /** The version and last seq of each of the workflows, as changes whose earlier seq is unknown. */
    private List<StoreChange> readStates(Collection<Long> workflowIds) {
        List<Long> ids = new ArrayList<>(workflowIds);
        List<StoreChange> states = new ArrayList<>(ids.size());
        for (int from = 0; from < ids.size(); from += STATE_READ_BATCH) {
            List<Long> batch = ids.subList(from, Math.min(ids.size(), from + STATE_READ_BATCH));
            states.addAll(use("read the state of " + batch.size() + " watched workflows",
                    handle -> {
                        Query query = handle.createQuery(sql.selectVersions + Statements.placeholders(batch.size()));
                        for (int i = 0; i < batch.size(); i++) {
                            query.bind(i, batch.get(i));
                        }
                        return query.map((rs, ctx) -> stateChange(rs)).list();
                    }));
        }
        return states;
    }

    /** The columns {@link #stateChange} reads. */
    static final String STATE_CHANGE_COLUMNS = "workflow_id, version, last_seq, status";

    /** A state row as a change whose earlier seq is unknown. */
    static StoreChange stateChange(ResultSet rs) throws SQLException {
        long lastSeq = rs.getLong("last_seq");
        return new StoreChange(rs.getLong("workflow_id"), rs.getLong("version"), lastSeq, lastSeq,
                WorkflowStatus.fromWire(rs.getString("status")).isFinished());
    }

    /**
     * Stops watching other processes (sending the notifications still gathered), and closes the
     * connection pool if the store made it from a URL; a given DataSource is left open.
     */
    @Override
    public void close() {
        Thread started;
        synchronized (watchingLock) {
            closed = true;
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
        for (StoreChangeListener listener : listeners) {
            try {
                listener.storeClosed();
            } catch (RuntimeException e) {
                LOG.error("A store change listener failed when told the store closed", e);
            }
        }
        listeners.clear();
        if (ownedPool != null) {
            ownedPool.close();
        }
    }

    private Optional<Message> findMessage(Handle handle, long messageId) {
        return handle.createQuery(sql.selectMessage)
                .bind("id", messageId)
                .map((rs, ctx) -> message(rs))
                .findOne();
    }

    private ReentrantLock commitOrder(long workflowId) {
        return commitOrder[Math.floorMod(Long.hashCode(workflowId), STRIPES)];
    }

    /**
     * Tells a change heard from another process under the workflow's commit-order lock, so that it
     * is told after, never between, a commit of this JVM to the same workflow and its telling.
     */
    private void tellInOrder(StoreChange change) {
        ReentrantLock order = commitOrder(change.workflowId());
        order.lock();
        try {
            tell(change);
        } finally {
            order.unlock();
        }
    }

    private void tell(StoreChange change) {
        for (StoreChangeListener listener : listeners) {
            try {
                listener.onChange(change);
            } catch (RuntimeException e) {
                LOG.error("A store change listener failed on {}", change, e);
            }
        }
    }

    // ---- running statements ----

    /** Runs {@code work} on a handle of its own, without a transaction; reads take this way. */
    private <T> T use(String operation, HandleCallback<T, RuntimeException> work) {
        requireOpen();
        try {
            return jdbi.withHandle(work);
        } catch (JdbiException e) {
            throw failure(operation, e);
        }
    }

    /** Runs {@code work} in one transaction, again after a deadlock or serialization failure. */
    private <T> T transaction(String operation, HandleCallback<T, RuntimeException> work) {
        return transaction(operation, false, work);
    }

    /**
     * Runs {@code work} in one transaction, again after a deadlock or serialization failure, and
     * when {@code againOnDuplicate} also after a duplicate key (a keyed message stored meanwhile,
     * which the next attempt finds). A connection that fails during the commit is an
     * {@link OutcomeUnknownException}, never tried again here: only the caller can know whether
     * the write is safe to repeat.
     */
    private <T> T transaction(String operation, boolean againOnDuplicate, HandleCallback<T, RuntimeException> work) {
        requireOpen();
        for (int attempt = 1; ; attempt++) {
            try {
                return inTransaction(jdbi, work, this::evict);
            } catch (CommitOutcomeUnknown e) {
                SQLException cause = e.getCause();
                throw new OutcomeUnknownException(operation, cause.getMessage()
                        + (cause.getSQLState() == null ? "" : " (SQLState " + cause.getSQLState() + ")"), cause);
            } catch (JdbiException e) {
                SQLException cause = sqlCause(e);
                boolean again = cause != null && (JdbcDialect.isRetryable(cause)
                        || (againOnDuplicate && JdbcDialect.isIntegrityViolation(cause)));
                if (attempt < MAX_ATTEMPTS && again) {
                    LOG.debug("{}: attempt {} met {} (SQLState {}); trying again", operation, attempt,
                            cause.getMessage(), cause.getSQLState());
                    // A short random pause, so that the two sides of a deadlock do not meet again.
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(ThreadLocalRandom.current().nextInt(1, 5 * attempt)));
                    continue;
                }
                throw failure(operation, e);
            }
        }
    }

    /** A storage exception that carries the database's own words, and its SQLState. */
    static StorageException failure(String operation, Throwable e) {
        SQLException cause = sqlCause(e);
        String detail = cause == null ? e.getMessage()
                : cause.getMessage() + (cause.getSQLState() == null ? "" : " (SQLState " + cause.getSQLState() + ")");
        return new StorageException(operation, detail, e);
    }

    /**
     * Runs {@code work} in one transaction that is committed when it returns and rolled back when
     * it throws, also on a connection that comes from the pool with auto-commit off (Jdbi takes
     * such a connection for a transaction already begun, and would leave it uncommitted).
     *
     * <p>What a failure means depends on when it came: before the commit, the transaction had no
     * effect (a {@link JdbiException}, or what {@code work} threw); from the commit itself, it had
     * none when the database answered with an error, and an unknown one when the connection failed
     * ({@link CommitOutcomeUnknown}); once the commit returned, the transaction is stored and a
     * failure after it (restoring auto-commit, closing) only costs the connection, which
     * {@code evict} drops from its pool, and the result is returned.
     */
    static <T> T inTransaction(Jdbi jdbi, HandleCallback<T, RuntimeException> work, Consumer<Connection> evict) {
        Handle handle = jdbi.open();
        T result;
        try {
            if (!handle.isInTransaction()) {
                handle.begin();
            }
            try {
                result = work.withHandle(handle);
            } catch (RuntimeException | Error e) {
                rollbackQuietly(handle, e);
                throw e;
            }
            try {
                handle.getConnection().commit();
            } catch (SQLException e) {
                RuntimeException failure = outcomeUnknown(e) ? new CommitOutcomeUnknown(e)
                        : new TransactionException("Failed to commit transaction", e);
                rollbackQuietly(handle, failure);
                throw failure;
            }
        } catch (RuntimeException | Error e) {
            closeQuietly(handle, e);
            throw e;
        }
        // Committed: from here on nothing may turn this into a failure.
        Connection connection = handle.getConnection();
        try {
            // Nothing is left to commit; this ends Jdbi's transaction and restores auto-commit.
            handle.commit();
            handle.close();
        } catch (JdbiException e) {
            LOG.warn("A transaction committed, but its connection failed after the commit ({}); dropping the"
                    + " connection", e.getMessage());
            evict.accept(connection);
            closeQuietly(handle, e);
        }
        return result;
    }

    /** {@link #inTransaction(Jdbi, HandleCallback, Consumer)} on a pool that drops broken connections itself. */
    static <T> T inTransaction(Jdbi jdbi, HandleCallback<T, RuntimeException> work) {
        return inTransaction(jdbi, work, connection -> {
        });
    }

    /**
     * Whether a commit that threw may have been applied: the connection failed (SQLState class
     * {@code 08}, a server shutting down, {@code 57P01} to {@code 57P03}, or a driver's connection
     * exception) rather than the database answering with an error, which rolls back.
     */
    static boolean outcomeUnknown(SQLException e) {
        String state = e.getSQLState();
        return state == null || state.startsWith("08") || state.startsWith("57P")
                || e instanceof SQLNonTransientConnectionException || e instanceof SQLRecoverableException
                || e instanceof SQLTransientConnectionException;
    }

    private static void rollbackQuietly(Handle handle, Throwable failure) {
        try {
            handle.rollback();
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    private static void closeQuietly(Handle handle, Throwable failure) {
        try {
            handle.close();
        } catch (RuntimeException e) {
            if (e != failure) {
                failure.addSuppressed(e);
            }
        }
    }

    /** Drops a connection that failed after its commit from the pool, when the pool is HikariCP. */
    private void evict(Connection connection) {
        if (evictFrom != null) {
            evictFrom.evictConnection(connection);
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("this JdbcThreadStore is closed");
        }
    }

    static SQLException sqlCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sqlException) {
                return sqlException;
            }
        }
        return null;
    }

    // ---- mapping rows and values ----

    private static WorkflowState state(ResultSet rs) throws SQLException {
        long redirectedTo = rs.getLong("redirected_to");
        Long redirected = rs.wasNull() ? null : redirectedTo;
        return new WorkflowState(rs.getLong("workflow_id"), WorkflowStatus.fromWire(rs.getString("status")),
                rs.getBoolean("is_paused"), instant(rs, "pause_requested_at"), rs.getString("pause_reason"),
                instant(rs, "paused_at"), redirected, rs.getString("status_reason"), rs.getLong("last_seq"),
                rs.getLong("version"));
    }

    private static Message message(ResultSet rs) throws SQLException {
        long agentExecutionId = rs.getLong("agent_execution_id");
        Long agentExecution = rs.wasNull() ? null : agentExecutionId;
        return new Message(rs.getLong("id"), rs.getLong("workflow_id"), rs.getLong("seq"), agentExecution,
                MessageType.fromWire(rs.getString("message_type")), rs.getString("agent_type"),
                rs.getString("content"), metadata(rs.getString("metadata")),
                ActionType.fromWire(rs.getString("action_type")), ActionStatus.fromWire(rs.getString("action_status")),
                instant(rs, "created_at"), rs.getString("author"));
    }

    private static Map<String, Object> metadata(String json) throws SQLException {
        try {
            return MetadataCodec.fromJson(json);
        } catch (IllegalArgumentException e) {
            throw new SQLException(e.getMessage(), e.getCause());
        }
    }

    private static String json(Map<String, Object> metadata) {
        try {
            return MetadataCodec.toJson(metadata);
        } catch (InvalidMessageException e) {
            // NewMessage holds only values JSON can hold, so this is a bug, not bad input.
            throw new IllegalStateException("metadata cannot be written as JSON", e);
        }
    }

    /** A UTC time with millisecond precision, or SQL NULL; bound as a LocalDateTime so no time zone applies. */
    static Argument timestamp(Instant instant) {
        if (instant == null) {
            return (position, statement, context) -> statement.setNull(position, Types.TIMESTAMP);
        }
        LocalDateTime utc = LocalDateTime.ofInstant(instant.truncatedTo(ChronoUnit.MILLIS), ZoneOffset.UTC);
        return (position, statement, context) -> statement.setObject(position, utc);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        LocalDateTime utc = rs.getObject(column, LocalDateTime.class);
        return utc == null ? null : utc.toInstant(ZoneOffset.UTC);
    }


    /** The connection failed during the commit: the transaction may or may not be stored. */
    static final class CommitOutcomeUnknown extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CommitOutcomeUnknown(SQLException cause) {
            super("outcome unknown: " + cause.getMessage(), cause);
        }

        @Override
        public synchronized SQLException getCause() {
            return (SQLException) super.getCause();
        }
    }

    /** A commit that must not apply: the state is not as expected, or a required resolution failed. */
    private static final class Conflict extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient WorkflowState current;

        Conflict(WorkflowState current) {
            super("conflict", null, false, false);
            this.current = current;
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

        private Builder() {
        }

        /** The host's connection pool; the store never closes it. */
        public Builder dataSource(DataSource dataSource) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
            return this;
        }

        /** The host's Jdbi; the store never closes what it holds. */
        public Builder jdbi(Jdbi jdbi) {
            this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
            return this;
        }

        /**
         * A JDBC URL: the store makes a HikariCP pool for it, and closes the pool on
         * {@link JdbcThreadStore#close()}. The JDBC driver must be on the classpath.
         */
        public Builder url(String url) {
            Objects.requireNonNull(url, "url");
            if (!url.startsWith("jdbc:")) {
                throw new IllegalArgumentException("url must be a JDBC URL starting with jdbc:, but was '" + url + "'");
            }
            this.url = url;
            return this;
        }

        /** The user and password for {@link #url}. */
        public Builder credentials(String username, String password) {
            this.username = username;
            this.password = password;
            return this;
        }

        /** The most connections the pool made for {@link #url} opens; default {@value #DEFAULT_MAXIMUM_POOL_SIZE}. */
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
         */
        public Builder listenConnectionFactory(ConnectionFactory listenConnections) {
            this.listenConnections = Objects.requireNonNull(listenConnections, "listenConnectionFactory");
            return this;
        }

        /**
         * On PostgreSQL with notifications, how often the listening connection also reads the
         * version of the watched workflows: it shows the connection is alive, and catches a
         * change whose notification was lost (a writer that died in the
         * {@value PostgresNotifications#COALESCE_MILLIS} ms before sending it); default 2 s, at
         * least {@value #MIN_POLL_INTERVAL_MILLIS} ms.
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

        /** How long an operation waits for a free connection of the pool made for {@link #url}. */
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
         */
        public Builder tablePrefix(String tablePrefix) {
            this.tablePrefix = Tables.withPrefix(tablePrefix).prefix();
            return this;
        }

        /** What to do about the tables when the store is built; default {@link SchemaMode#CREATE}. */
        public Builder schemaMode(SchemaMode schemaMode) {
            this.schemaMode = Objects.requireNonNull(schemaMode, "schemaMode");
            return this;
        }

        /** The database's dialect, instead of detecting it from the connection. */
        public Builder dialect(JdbcDialect dialect) {
            this.dialect = Objects.requireNonNull(dialect, "dialect");
            return this;
        }

        /**
         * Connects, detects the dialect, and prepares the schema as the {@link SchemaMode} says.
         *
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
            HikariDataSource pool = url == null ? null : pool();
            try {
                Jdbi database = jdbi;
                if (database == null) {
                    database = Jdbi.create(pool != null ? pool : dataSource);
                    // A host pool may hand out connections with auto-commit off; a read then
                    // leaves a transaction open, which the pool rolls back when it takes the
                    // connection back, instead of Jdbi failing the read.
                    database.getConfig(Handles.class).setForceEndTransactions(false);
                }
                JdbcDialect detected = dialect != null ? dialect : detect(database);
                new Schema(database, detected, tables).apply(schemaMode);
                boolean notifying = detected == JdbcDialect.POSTGRESQL && notifications && pgjdbcPresent();
                ConnectionFactory listening = notifying ? listenConnections(database) : null;
                String scope = notifying ? stateTableSchema(database, tables) : null;
                HikariDataSource evictFrom = pool != null ? pool
                        : dataSource instanceof HikariDataSource hikari ? hikari : null;
                return new JdbcThreadStore(database, detected, tables, pool, evictFrom, pollInterval, listening, scope,
                        reconcileInterval);
            } catch (RuntimeException e) {
                if (pool != null) {
                    pool.close();
                }
                throw e;
            }
        }

        private HikariDataSource pool() {
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(url);
            config.setUsername(username);
            config.setPassword(password);
            config.setMaximumPoolSize(maximumPoolSize);
            config.setConnectionTimeout(connectionTimeout.toMillis());
            config.setPoolName("workflow-thread");
            config.setExceptionOverrideClassName(BrokenConnectionEviction.class.getName());
            try {
                return new HikariDataSource(config);
            } catch (RuntimeException e) {
                throw failure("open a connection pool for " + withoutParameters(url), e);
            }
        }

        private ConnectionFactory listenConnections(Jdbi database) {
            if (listenConnections != null) {
                return listenConnections;
            }
            if (url != null) {
                return () -> DriverManager.getConnection(url, username, password);
            }
            if (dataSource instanceof HikariDataSource hikari && hikari.getJdbcUrl() != null) {
                Properties properties = new Properties();
                properties.putAll(hikari.getDataSourceProperties());
                if (hikari.getUsername() != null) {
                    properties.setProperty("user", hikari.getUsername());
                }
                if (hikari.getPassword() != null) {
                    properties.setProperty("password", hikari.getPassword());
                }
                String hikariUrl = hikari.getJdbcUrl();
                String initSql = hikari.getConnectionInitSql();
                return () -> {
                    Connection connection = DriverManager.getConnection(hikariUrl, properties);
                    if (initSql != null) {
                        try (Statement statement = connection.createStatement()) {
                            statement.execute(initSql);
                        } catch (SQLException e) {
                            connection.close();
                            throw e;
                        }
                    }
                    return connection;
                };
            }
            if (dataSource != null) {
                return dataSource::getConnection;
            }
            return new ConnectionFactory() {
                private final Map<Connection, Handle> handles = new ConcurrentHashMap<>();

                @Override
                public Connection openConnection() {
                    Handle handle = database.open();
                    handles.put(handle.getConnection(), handle);
                    return handle.getConnection();
                }

                @Override
                public void closeConnection(Connection connection) throws SQLException {
                    Handle handle = handles.remove(connection);
                    if (handle != null) {
                        handle.close();
                    } else {
                        connection.close();
                    }
                }
            };
        }

        /**
         * The schema that holds the state table as the store's pool resolves it (its search path,
         * its connection init SQL), or the current schema when the table does not exist yet.
         */
        private static String stateTableSchema(Jdbi database, Tables tables) {
            // The table name is a validated identifier (Tables), so it may stand in the text.
            String query = "SELECT COALESCE((SELECT n.nspname FROM pg_catalog.pg_class c"
                    + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                    + " WHERE c.oid = to_regclass('" + tables.state() + "')), current_schema(), '')";
            try {
                return database.withHandle(handle -> handle.createQuery(query).mapTo(String.class).one());
            } catch (JdbiException e) {
                throw failure("find the schema of " + tables.state(), e);
            }
        }

        /** Whether pgjdbc, whose API the notifications use, is on the class path. */
        private static boolean pgjdbcPresent() {
            try {
                Class.forName("org.postgresql.PGConnection", false, JdbcThreadStore.class.getClassLoader());
                return true;
            } catch (ClassNotFoundException | LinkageError e) {
                LOG.warn("PostgreSQL's JDBC driver pgjdbc (org.postgresql) is not on the class path, so this store"
                        + " cannot use LISTEN/NOTIFY: it reads the watched workflows' states every poll interval");
                return false;
            }
        }

        private static JdbcDialect detect(Jdbi database) {
            try {
                return JdbcDialect.fromProductName(database.withHandle(handle -> {
                    try {
                        return handle.getConnection().getMetaData().getDatabaseProductName();
                    } catch (SQLException e) {
                        throw failure("read the database's product name", e);
                    }
                }));
            } catch (JdbiException e) {
                throw failure("connect to the database", e);
            }
        }

        /** A URL without its query, which may hold a password. */
        static String withoutParameters(String url) {
            int query = url.indexOf('?');
            return query < 0 ? url : url.substring(0, query);
        }
    }
}
