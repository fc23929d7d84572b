package dev.workflowthread.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import dev.workflowthread.OutcomeUnknownException;
import dev.workflowthread.StorageException;
import dev.workflowthread.WorkflowThreadObserver;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.transaction.TransactionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the store runs statements: reads on a handle of their own, writes in one transaction that
 * is tried again after a deadlock, and what a failure means (a {@link StorageException}, or an
 * {@link OutcomeUnknownException} when the connection failed during the commit itself). It also
 * knows whether the store is closed, as every operation asks that first.
 */
final class Transactions {
    private static final Logger LOG = LoggerFactory.getLogger(Transactions.class);
    /** How many times in all a transaction is tried after deadlocks (the store's public constant says it). */
    static final int DEADLOCK_ATTEMPTS = 5;

    private final Jdbi jdbi;
    /** The HikariCP pool the connections come from, when known: one that failed after a commit is dropped. */
    private final HikariDataSource evictFrom;
    /** Told of every retry; guarded, so what it throws is logged and goes no further. */
    private final WorkflowThreadObserver observer;
    private volatile boolean closed;

    Transactions(Jdbi jdbi, HikariDataSource evictFrom, WorkflowThreadObserver observer) {
        this.jdbi = jdbi;
        this.evictFrom = evictFrom;
        this.observer = observer;
    }

    /** From now on every operation fails with {@link IllegalStateException}. */
    void close() {
        closed = true;
    }

    void requireOpen() {
        if (closed) {
            throw new IllegalStateException("this JdbcThreadStore is closed");
        }
    }

    /** Runs {@code work} on a handle of its own, without a transaction; reads take this way. */
    <T> T use(String operation, HandleCallback<T, RuntimeException> work) {
        requireOpen();
        return uninterrupted(() -> {
            try {
                return jdbi.withHandle(work);
            } catch (JdbiException e) {
                throw failure(operation, e);
            }
        });
    }

    /**
     * Runs {@code call} with the thread's interrupt status cleared, and sets it again after. A step
     * a stop token interrupted ({@code CheckpointGuard.interruptOnStop}) still says why it stops
     * and checks in: a pool such as HikariCP refuses an interrupted thread that has to wait for a
     * connection, while the store's calls are short and not interruptible anyway.
     */
    private static <T> T uninterrupted(java.util.function.Supplier<T> call) {
        boolean interrupted = Thread.interrupted();
        try {
            return call.get();
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Runs {@code work} in one transaction, again after a deadlock or serialization failure. */
    <T> T transaction(String operation, HandleCallback<T, RuntimeException> work) {
        return transaction(operation, false, work);
    }

    /**
     * Runs {@code work} in one transaction, again after a deadlock or serialization failure, and
     * when {@code againOnDuplicate} also after a duplicate key (a keyed message stored meanwhile,
     * which the next attempt finds), up to {@value #DEADLOCK_ATTEMPTS} times in all. A connection
     * that fails during the commit is an {@link OutcomeUnknownException}, never tried again here:
     * only the caller can know whether the write is safe to repeat.
     */
    <T> T transaction(String operation, boolean againOnDuplicate, HandleCallback<T, RuntimeException> work) {
        requireOpen();
        return uninterrupted(() -> attempts(operation, againOnDuplicate, work));
    }

    private <T> T attempts(String operation, boolean againOnDuplicate, HandleCallback<T, RuntimeException> work) {
        for (int attempt = 1; ; attempt++) {
            try {
                return inTransaction(jdbi, work, this::evict);
            } catch (CommitOutcomeUnknown e) {
                SQLException cause = e.getCause();
                throw new OutcomeUnknownException(operation, detail(cause), cause);
            } catch (JdbiException e) {
                SQLException cause = sqlCause(e);
                boolean again = cause != null && (JdbcDialect.isRetryable(cause)
                        || (againOnDuplicate && JdbcDialect.isIntegrityViolation(cause)));
                if (attempt < DEADLOCK_ATTEMPTS && again) {
                    LOG.debug("{}: attempt {} met {} (SQLState {}); trying again", operation, attempt,
                            cause.getMessage(), cause.getSQLState());
                    observer.storeRetried(operation, cause);
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
        return new StorageException(operation, cause == null ? e.getMessage() : detail(cause), e);
    }

    /**
     * A failure of one operation as another operation's, of the same kind: what each caller of a
     * shared transaction is told, naming its own operation, with the same cause.
     */
    static StorageException sameFailure(String operation, StorageException failure) {
        SQLException cause = sqlCause(failure);
        String detail = cause == null ? failure.getMessage() : detail(cause);
        return failure instanceof OutcomeUnknownException
                ? new OutcomeUnknownException(operation, detail, failure.getCause())
                : new StorageException(operation, detail, failure.getCause());
    }

    private static String detail(SQLException cause) {
        return cause.getMessage() + (cause.getSQLState() == null ? "" : " (SQLState " + cause.getSQLState() + ")");
    }

    static SQLException sqlCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sqlException) {
                return sqlException;
            }
        }
        return null;
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
}
