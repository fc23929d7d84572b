package dev.workflowthread.jdbc;

import dev.workflowthread.spi.StoreChange;
import java.util.Collection;

/**
 * A way for the processes that share a store's tables to wake each other after a commit, on a
 * database that has no notifications of its own (MySQL/MariaDB, H2), as PostgreSQL's
 * {@code LISTEN}/{@code NOTIFY} does: give one to {@link JdbcThreadStoreBuilder#changeSignals}.
 * {@code workflow-thread-redis} has one on Redis pub/sub.
 *
 * <p>A signal is only a hint. The store never takes a change from it: it only reads the named
 * workflows' states from the database, at once, and tells its listeners what moved there. So a
 * signal lost, late, repeated or forged costs a read at most, and never a wrong or missed change:
 * the store still reads every watched workflow's state every
 * {@linkplain JdbcThreadStoreBuilder#reconcileInterval reconcile interval} while the signals are
 * heard, and every {@linkplain JdbcThreadStoreBuilder#changePollInterval poll interval} while they are
 * not (between {@link Receiver#disconnected} and {@link Receiver#connected}), as a store without
 * signals does.
 *
 * <p>The store calls {@link #start} once, with its first change listener, then {@link #publish}
 * after each of its commits, and {@link #close} when it closes. {@link #publish} is called from
 * the committing thread, under the workflow's commit-order lock: it must not wait on the network.
 */
public interface ChangeSignals extends AutoCloseable {

    /**
     * Starts hearing other processes' signals, and tells {@code receiver} of them, from threads of
     * this object's own, until closed. Until it calls {@link Receiver#connected()} the store
     * treats the signals as not heard yet and polls.
     *
     * @param receiver what to tell of signals, and of the signals' connection coming and going
     * @throws IllegalStateException when started already, or closed
     */
    void start(Receiver receiver);

    /**
     * Tells other processes that this store committed {@code change}. Called after the commit
     * returned, never before; must return at once (send asynchronously), and must not throw for a
     * failure to send: other processes catch up by reading the states.
     *
     * @param change the committed change
     */
    void publish(StoreChange change);

    /** Stops hearing and sending, and lets go of the connections; quick, and safe to call twice. */
    @Override
    void close();

    /** What a {@link ChangeSignals} tells the store; its methods return at once. */
    interface Receiver {

        /**
         * Another process committed changes to these workflows: the store reads their states from
         * the database soon after (those watched here), and tells its listeners what moved.
         *
         * @param workflowIds the workflows named by one or more signals
         */
        void changed(Collection<Long> workflowIds);

        /**
         * The signals are heard (again): from now on every other process's commit is signalled
         * here. The store reads every watched workflow's state once more, to catch up with what
         * was committed while they were not heard, and then reads them only every reconcile
         * interval.
         */
        void connected();

        /**
         * The signals are not heard for now (the connection to their broker failed): the store
         * logs a warning and reads the watched workflows' states every poll interval until
         * {@link #connected()}.
         *
         * @param cause what failed, for the log
         */
        void disconnected(Throwable cause);
    }
}
