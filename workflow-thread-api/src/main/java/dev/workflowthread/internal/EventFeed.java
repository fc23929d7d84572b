package dev.workflowthread.internal;

import dev.workflowthread.Message;
import dev.workflowthread.Subscription;
import dev.workflowthread.ThreadEvent;
import dev.workflowthread.ThreadListener;
import dev.workflowthread.WorkflowNotFoundException;
import dev.workflowthread.WorkflowState;
import dev.workflowthread.spi.Backoff;
import dev.workflowthread.spi.StoreChange;
import dev.workflowthread.spi.ThreadStore;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers events to listeners by reading the store after a cursor: a change only marks a
 * workflow as dirty, and the subscription's own serial task reads what was committed after the
 * last seq it delivered. So events follow commits, come in seq order, once each, and a
 * subscription that starts from an old seq catches up from the store.
 */
final class EventFeed {
    private static final Logger LOG = LoggerFactory.getLogger(EventFeed.class);
    static final int PAGE = 256;
    /** Messages one run delivers before it yields the executor thread to other subscriptions. */
    private static final int RUN_BUDGET = 4 * PAGE;
    /** After a failed read, the first retry waits this long, doubling up to {@link #MAX_RETRY_DELAY_MILLIS}. */
    static final long FIRST_RETRY_DELAY_MILLIS = 50;
    static final long MAX_RETRY_DELAY_MILLIS = 5_000;
    private static final Backoff RETRY_BACKOFF = Backoff.exponential(Duration.ofMillis(FIRST_RETRY_DELAY_MILLIS),
            Duration.ofMillis(MAX_RETRY_DELAY_MILLIS));

    private final ThreadStore store;
    private final Executor executor;
    /** The clock and the observer. */
    private final ThreadCore core;
    /** Subscriptions of all workflows. */
    private final Set<FeedSubscription> allWorkflows = new CopyOnWriteArraySet<>();
    /** Subscriptions of one workflow, by workflow: a change costs a lookup, not a pass over all. */
    private final Map<Long, Set<FeedSubscription>> byWorkflow = new ConcurrentHashMap<>();

    EventFeed(ThreadStore store, Executor executor, ThreadCore core) {
        this.store = store;
        this.executor = executor;
        this.core = core;
    }

    Subscription subscribe(long workflowId, long afterSeq, ThreadListener listener) {
        FeedSubscription subscription = new FeedSubscription(workflowId, listener);
        subscription.cursors.put(workflowId, afterSeq);
        byWorkflow.compute(workflowId, (id, set) -> {
            Set<FeedSubscription> subscribers = set == null ? new CopyOnWriteArraySet<>() : set;
            subscribers.add(subscription);
            return subscribers;
        });
        subscription.markDirty(workflowId);
        return subscription;
    }

    Subscription subscribeAll(ThreadListener listener) {
        FeedSubscription subscription = new FeedSubscription(null, listener);
        allWorkflows.add(subscription);
        return subscription;
    }

    void onChange(StoreChange change) {
        Set<FeedSubscription> subscribers = byWorkflow.get(change.workflowId());
        if (subscribers != null) {
            subscribers.forEach(subscription -> subscription.onChange(change));
        }
        for (FeedSubscription subscription : allWorkflows) {
            subscription.onChange(change);
        }
    }

    /** The workflows that subscriptions of one workflow follow. */
    Set<Long> watchedWorkflows() {
        return new HashSet<>(byWorkflow.keySet());
    }

    void closeAll() {
        allWorkflows.forEach(FeedSubscription::close);
        byWorkflow.values().forEach(subscribers -> subscribers.forEach(FeedSubscription::close));
    }

    private final class FeedSubscription implements Subscription, Runnable {
        private final Long onlyWorkflow;
        private final ThreadListener listener;
        private final Map<Long, Long> cursors = new ConcurrentHashMap<>();
        private final Set<Long> dirty = ConcurrentHashMap.newKeySet();
        private final AtomicBoolean scheduled = new AtomicBoolean();
        private volatile boolean closed;
        /** Workflows whose last read failed: read again by the retry timer, not by every change. */
        private final Set<Long> failed = ConcurrentHashMap.newKeySet();
        /** True while the one retry timer of this subscription is armed. */
        private final AtomicBoolean retryArmed = new AtomicBoolean();
        /** Read failures in a row, per workflow; only touched by the serial delivery task. */
        private final Map<Long, Integer> failures = new ConcurrentHashMap<>();
        /** Messages created before this are a replay: their delivery lag is not the observer's business. */
        private final Instant since = core.now();

        FeedSubscription(Long onlyWorkflow, ThreadListener listener) {
            this.onlyWorkflow = onlyWorkflow;
            this.listener = listener;
        }

        void onChange(StoreChange change) {
            long workflowId = change.workflowId();
            if (onlyWorkflow != null && onlyWorkflow != workflowId) {
                return;
            }
            Long cursor = cursors.get(workflowId);
            if (cursor == null) {
                if (change.lastSeq() <= change.previousLastSeq()) {
                    return; // no message known to be new: nothing to start from
                }
                // A workflow first heard of by an all-workflows subscription starts right before the
                // change: changes of one workflow are told in commit order, so nothing is skipped.
                cursors.putIfAbsent(workflowId, change.previousLastSeq());
            } else if (change.lastSeq() <= cursor) {
                return; // delivered already (a change heard twice, or one without messages)
            }
            markDirty(workflowId);
        }

        void markDirty(long workflowId) {
            if (failed.contains(workflowId)) {
                return; // the retry timer reads it; a failing store is not read once per change
            }
            dirty.add(workflowId);
            schedule();
        }

        private void schedule() {
            if (closed || !scheduled.compareAndSet(false, true)) {
                return;
            }
            try {
                executor.execute(this);
            } catch (RejectedExecutionException e) {
                scheduled.set(false);
                LOG.warn("listener executor refused a delivery task; events wait for the next change", e);
            }
        }

        @Override
        public void run() {
            try {
                int budget = RUN_BUDGET;
                while (!closed && budget > 0 && !dirty.isEmpty()) {
                    for (Long workflowId : dirty) {
                        if (closed || budget <= 0) {
                            break;
                        }
                        dirty.remove(workflowId);
                        budget -= deliver(workflowId);
                    }
                }
            } finally {
                scheduled.set(false);
                if (!closed && !dirty.isEmpty()) {
                    schedule();
                }
            }
        }

        /** Delivers one page of the workflow; returns how many messages it read. */
        private int deliver(long workflowId) {
            long cursor = cursors.getOrDefault(workflowId, 0L);
            List<Message> page;
            WorkflowState state;
            try {
                page = store.readAfter(workflowId, cursor, PAGE);
                // One read of the state for the page's state events, after the page: no older than any of them.
                state = page.stream().anyMatch(m -> SystemMessages.stateEventOf(m) != null)
                        ? store.findState(workflowId).orElseThrow(() -> new WorkflowNotFoundException(workflowId))
                        : null;
            } catch (RuntimeException e) {
                // The cursor stays; the workflow waits for the retry timer while the others go on.
                failed.add(workflowId);
                int inARow = failures.merge(workflowId, 1, Integer::sum);
                long delay = RETRY_BACKOFF.delay(inARow).toMillis();
                // Once per outage and workflow, without the stack trace: an outage fails every
                // subscription's reads at once, and the store's own log tells the cause.
                if (inARow == 1) {
                    LOG.warn("reading workflow {} after seq {} for a listener failed: {}; trying again until it works",
                            workflowId, cursor, e.toString());
                }
                LOG.debug("reading workflow {} after seq {} failed ({} in a row)", workflowId, cursor, inARow, e);
                if (retryArmed.compareAndSet(false, true)) {
                    CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS).execute(this::retryFailed);
                }
                return 1;
            }
            failures.remove(workflowId);
            for (Message message : page) {
                if (closed) {
                    return page.size();
                }
                for (ThreadEvent event : SystemMessages.eventsOf(message, () -> state)) {
                    try {
                        listener.onEvent(event);
                    } catch (RuntimeException | Error e) {
                        if (e instanceof VirtualMachineError) {
                            throw e;
                        }
                        LOG.error("listener {} failed on {} of workflow {} seq {}; going on with the next event",
                                listener, event.name(), workflowId, event.seq(), e);
                        core.observer().listenerFailed(workflowId, event.name(), e);
                    }
                }
                if (!message.createdAt().isBefore(since)) {
                    core.observer().listenerDelivered(workflowId, core.since(message.createdAt()));
                }
                cursors.put(workflowId, message.seq());
            }
            if (page.size() == PAGE) {
                dirty.add(workflowId);
            }
            return Math.max(1, page.size());
        }

        private void retryFailed() {
            retryArmed.set(false);
            for (Long workflowId : failed) {
                failed.remove(workflowId);
                dirty.add(workflowId);
            }
            schedule();
        }

        @Override
        public void close() {
            closed = true;
            if (onlyWorkflow == null) {
                allWorkflows.remove(this);
            } else {
                byWorkflow.computeIfPresent(onlyWorkflow, (id, subscribers) -> {
                    subscribers.remove(this);
                    return subscribers.isEmpty() ? null : subscribers;
                });
            }
        }
    }
}
