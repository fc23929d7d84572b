package dev.workflowthread.jdbc;

import dev.workflowthread.Subscription;
import dev.workflowthread.spi.StoreChange;
import dev.workflowthread.spi.Backoff;
import dev.workflowthread.spi.StoreChangeListener;
import dev.workflowthread.spi.StoreChangeListeners;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.jdbi.v3.core.statement.Query;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's change listeners, and the changes they are told: this JVM's commits at once, in
 * commit order per workflow, and the changes other processes make to the workflows they watch.
 * It keeps the last version and seq it told for each watched workflow, so that a change is told
 * once however it was heard: from this JVM's own commit, from a notification, or from reading
 * the states: all the watched ones ({@link #reconcile}), as {@link PostgresNotifications} does
 * after every (re)connection and every reconcile interval, and {@link SignalledPolling} likewise;
 * or some of them ({@link #recheck}): those another process's {@link ChangeSignals} name, and on a
 * polling database those that {@link ChangePolling} finds named by the newest messages every poll
 * interval (and the rest a slice at a time). A workflow it has told before is told with the exact
 * seq it had then, so
 * that an all-workflows subscription can start from it.
 */
final class ChangeWatcher {
    private static final Logger LOG = LoggerFactory.getLogger(ChangeWatcher.class);

    /** The newest version and seq told for a watched workflow. */
    private record Known(long version, long lastSeq, boolean finished) {
        Known merge(StoreChange change) {
            return new Known(Math.max(version, change.version()), Math.max(lastSeq, change.lastSeq()),
                    finished || change.finished());
        }
    }

    private static final int STRIPES = 256;
    /** Workflows whose state one query reads. */
    private static final int STATE_READ_BATCH = 500;

    private final StoreChangeListeners listeners = new StoreChangeListeners();
    private final Transactions transactions;
    /** Followed by {@link Statements#placeholders}: the version and last seq of some workflows. */
    private final String selectVersions;
    private final Reads reads;
    /** Commits of one workflow in this JVM are told to listeners in their commit order. */
    private final ReentrantLock[] commitOrder = new ReentrantLock[STRIPES];
    private final ConcurrentHashMap<Long, Known> known = new ConcurrentHashMap<>();
    /** False from a failed reading of the states until one succeeds. */
    private final AtomicBoolean hearing = new AtomicBoolean(true);

    /**
     * @param transactions how {@link #reconcile()} reads the states, through the store's pool
     * @param sql          the store's statements: the query of the watched states, and those
     *                     {@link ChangePolling} reads the newest messages with
     */
    ChangeWatcher(Transactions transactions, Statements sql) {
        this.transactions = transactions;
        this.selectVersions = sql.selectVersions;
        this.reads = new Reads(sql);
        for (int i = 0; i < STRIPES; i++) {
            commitOrder[i] = new ReentrantLock();
        }
    }

    /** Registers a listener, until the subscription is closed. */
    Subscription add(StoreChangeListener listener) {
        return listeners.add(listener);
    }

    /**
     * Runs a commit of this JVM under its workflow's commit-order lock, which it must hold until
     * it told its change ({@link #committed}).
     */
    <T> T inCommitOrder(long workflowId, Supplier<T> commit) {
        ReentrantLock order = commitOrder[Math.floorMod(Long.hashCode(workflowId), STRIPES)];
        order.lock();
        try {
            return commit.get();
        } finally {
            order.unlock();
        }
    }

    /** Tells this JVM's own commit at once; a later reading of the states does not tell it again. */
    void committed(StoreChange change) {
        tell(change);
        known.computeIfPresent(change.workflowId(), (id, before) -> before.merge(change));
    }

    private void tell(StoreChange change) {
        listeners.changed(change);
    }

    /** Tells the listeners the store closed, once, and forgets them. */
    void storeClosed() {
        listeners.storeClosed();
    }

    /** The workflows some listener watches now. */
    Set<Long> watched() {
        return listeners.watchedWorkflows();
    }

    /** As {@link #reconcile(StateReader)} with the store's own reading, through its pool. */
    void reconcile() throws SQLException {
        reconcile(this::readStates);
    }

    /** The version and last seq of each of the workflows, as changes whose earlier seq is unknown. */
    private List<StoreChange> readStates(Collection<Long> workflowIds) {
        List<Long> ids = new ArrayList<>(workflowIds);
        List<StoreChange> states = new ArrayList<>(ids.size());
        for (int from = 0; from < ids.size(); from += STATE_READ_BATCH) {
            List<Long> batch = ids.subList(from, Math.min(ids.size(), from + STATE_READ_BATCH));
            states.addAll(transactions.use("read the state of " + batch.size() + " watched workflows",
                    handle -> {
                        Query query = handle.createQuery(selectVersions + Statements.placeholders(batch.size()));
                        for (int i = 0; i < batch.size(); i++) {
                            query.bind(i, batch.get(i));
                        }
                        return query.map((rs, ctx) -> Rows.stateChange(rs)).list();
                    }));
        }
        return states;
    }

    /**
     * Reads the state of every watched workflow with {@code reader} and tells those that moved past
     * what was told. A workflow read for the first time is told as it is, so a listener that
     * registered after a change it missed catches up. Throws what reading throws; nothing is lost
     * then, as the next reconcile compares again, but the listeners are told that hearing is lost
     * (so that checkpoints poll) until a reading works again.
     */
    void reconcile(StateReader reader) throws SQLException {
        Set<Long> watched = watchedNow();
        if (watched.isEmpty()) {
            return;
        }
        List<StoreChange> states;
        try {
            states = reader.read(watched);
        } catch (SQLException | RuntimeException e) {
            hearingLost();
            throw e;
        }
        for (StoreChange current : states) {
            take(current, true);
        }
        heard();
    }

    /**
     * The workflows some listener watches now, after forgetting what was told of those no
     * listener watches any more (a closed guard's workflow costs nothing from then on).
     */
    Set<Long> watchedNow() {
        Set<Long> watched = watched();
        known.keySet().retainAll(watched);
        return watched;
    }

    /** A reading of the states worked: tells the listeners, once per outage, that hearing is back. */
    void heard() {
        if (hearing.compareAndSet(false, true)) {
            listeners.hearingRestored();
        }
    }

    /**
     * The ids and workflows of up to {@code limit} messages, ascending: those after
     * {@code afterId}, and those of {@code alsoIds}; through the store's pool.
     */
    List<Reads.MessageId> messageIdsAfter(long afterId, List<Long> alsoIds, int limit) {
        return transactions.use("read the ids of the messages after " + afterId,
                handle -> reads.messageIdsAfter(handle, afterId, alsoIds, limit));
    }

    /** The highest message id committed, 0 when there is none; through the store's pool. */
    long newestMessageId() {
        return transactions.use("read the newest message id", reads::newestMessageId);
    }

    /**
     * Reads the state of those of {@code workflowIds} that are watched here and tells what moved
     * past what was told: what a {@linkplain ChangeSignals change signal} of another process leads
     * to. Throws what reading throws.
     */
    void recheck(Collection<Long> workflowIds) {
        recheck(workflowIds, watched());
    }

    /** As {@link #recheck(Collection)}, with the workflows watched now given. */
    void recheck(Collection<Long> workflowIds, Set<Long> watched) {
        if (workflowIds.isEmpty()) {
            return;
        }
        List<Long> ids = workflowIds.stream().filter(watched::contains).toList();
        if (ids.isEmpty()) {
            return;
        }
        for (StoreChange current : readStates(ids)) {
            take(current, true);
        }
    }

    /** Tells the listeners, once per outage, that changes of other processes are not heard now. */
    void hearingLost() {
        if (hearing.compareAndSet(true, false)) {
            listeners.hearingLost();
        }
    }

    /** Reads the current state of workflows, as changes whose earlier seq is unknown. */
    @FunctionalInterface
    interface StateReader {
        List<StoreChange> read(Collection<Long> workflowIds) throws SQLException;
    }

    /**
     * A change heard from another process's notification: told unless it is no news. A change of a
     * workflow not watched here is told as well (an all-workflows subscription may want it).
     */
    void heard(StoreChange change) {
        take(change, false);
    }

    private void take(StoreChange change, boolean watched) {
        StoreChange[] news = {null};
        known.compute(change.workflowId(), (id, before) -> {
            if (before == null) {
                news[0] = change;
                return watched ? new Known(change.version(), change.lastSeq(), change.finished()) : null;
            }
            Known after = before.merge(change);
            if (!after.equals(before)) {
                // What was told last is exactly where this change starts.
                news[0] = new StoreChange(id, after.version(), before.lastSeq(), after.lastSeq(), after.finished());
            }
            return after;
        });
        if (news[0] != null) {
            // Under the workflow's commit-order lock, so that it is told after, never between, a
            // commit of this JVM to the same workflow and its telling.
            inCommitOrder(news[0].workflowId(), () -> {
                tell(news[0]);
                return null;
            });
        }
    }

    /**
     * Starts a daemon thread that runs {@code round} until {@code stopped} says so, starting a
     * round {@code every} after the start of the one before (at once when that one took longer),
     * so that a round's own time does not add to the wait; a failing round is logged (once per
     * run of failures) and the wait after it grows, jittered, up to {@code maxBackoff}.
     */
    static Thread loop(String name, Duration every, Duration maxBackoff, BooleanSupplier stopped,
                       Round round) {
        Backoff backoff = afterFailedRounds(every, maxBackoff);
        Thread thread = new Thread(() -> {
            long failures = 0;
            while (!stopped.getAsBoolean()) {
                long nextStart = System.nanoTime() + every.toNanos();
                try {
                    round.run();
                    if (failures > 0) {
                        LOG.info("{}: working again after {} failed rounds", name, failures);
                    }
                    failures = 0;
                } catch (Exception | LinkageError e) {
                    if (stopped.getAsBoolean()) {
                        break;
                    }
                    failures++;
                    if (failures == 1) {
                        LOG.warn("{}: {}; trying again until it works", name, e.toString(), e);
                    } else {
                        LOG.debug("{}: failed again ({} in a row): {}", name, failures, e.toString());
                    }
                    nextStart = System.nanoTime() + backoff.delay(failures).toNanos();
                }
                long waitNanos = nextStart - System.nanoTime();
                if (waitNanos > 0 ? !Backoff.sleep(Duration.ofNanos(waitNanos)) : Thread.currentThread().isInterrupted()) {
                    break;
                }
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /**
     * The wait after failed rounds of a loop polling every {@code every}: a ceiling of twice that,
     * doubling up to {@code maxBackoff}, but never below {@code every} (a loop that polls less
     * often than {@code maxBackoff} keeps its pace when it fails).
     */
    static Backoff afterFailedRounds(Duration every, Duration maxBackoff) {
        Duration cap = max(every, maxBackoff);
        return Backoff.exponential(max(every, min(cap, every.multipliedBy(2))), cap);
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** One round of a {@link #loop}. */
    @FunctionalInterface
    interface Round {
        void run() throws SQLException;
    }
}
