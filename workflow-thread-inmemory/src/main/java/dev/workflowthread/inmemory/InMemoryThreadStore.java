package dev.workflowthread.inmemory;

import dev.workflowthread.ActionStatus;
import dev.workflowthread.Message;
import dev.workflowthread.MessageType;
import dev.workflowthread.PurgeResult;
import dev.workflowthread.Subscription;
import dev.workflowthread.WorkflowNotFoundException;
import dev.workflowthread.WorkflowState;
import dev.workflowthread.spi.Commit;
import dev.workflowthread.spi.CommitResult;
import dev.workflowthread.spi.NewMessage;
import dev.workflowthread.spi.OpenMessage;
import dev.workflowthread.spi.Resolution;
import dev.workflowthread.spi.StateUpdate;
import dev.workflowthread.spi.StoreChange;
import dev.workflowthread.spi.StoreChangeListener;
import dev.workflowthread.spi.StoreChangeListeners;
import dev.workflowthread.spi.ThreadStore;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A thread-safe {@link ThreadStore} that keeps everything in this JVM's memory: for hosts' unit
 * tests and demos. Each workflow has its own lock, so workflows do not contend with each other;
 * it has no sleeps or timers, and takes every time from its callers (so a settable clock works).
 * Change listeners are told of every commit, in commit order per workflow, so checkpoints in this
 * JVM never poll it.
 */
public final class InMemoryThreadStore implements ThreadStore {
    private final ConcurrentHashMap<Long, ThreadRecord> threads = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, ThreadRecord> threadOfMessage = new ConcurrentHashMap<>();
    /** The finished threads, oldest finish first: what a purge looks at. */
    private final ConcurrentSkipListMap<Finished, ThreadRecord> finished = new ConcurrentSkipListMap<>(
            Comparator.comparing(Finished::at).thenComparingLong(Finished::workflowId));
    private final AtomicLong ids = new AtomicLong();
    private final StoreChangeListeners listeners = new StoreChangeListeners();

    private InMemoryThreadStore() {
    }

    /**
     * An empty store.
     *
     * @return a new store holding no workflow, with no change listener
     */
    public static InMemoryThreadStore create() {
        return new InMemoryThreadStore();
    }

    @Override
    public WorkflowState createIfAbsent(long workflowId, Instant now) {
        while (true) {
            ThreadRecord thread = threads.computeIfAbsent(workflowId, ThreadRecord::new);
            synchronized (thread) {
                if (!thread.purged) {
                    return thread.state;
                }
            }
            // Purged just now: the purge removes it from the map, or this does; then start afresh.
            threads.remove(workflowId, thread);
        }
    }

    @Override
    public Optional<WorkflowState> findState(long workflowId) {
        ThreadRecord thread = threads.get(workflowId);
        if (thread == null) {
            return Optional.empty();
        }
        synchronized (thread) {
            return thread.purged ? Optional.empty() : Optional.of(thread.state);
        }
    }

    @Override
    public CommitResult commit(Commit commit) {
        ThreadRecord thread = require(commit.workflowId());
        synchronized (thread) {
            if (thread.purged) {
                // The purge took it while this commit waited for it: as if it never started.
                throw new WorkflowNotFoundException(commit.workflowId());
            }
            WorkflowState before = thread.state;
            List<Message> replayed = storedUnderKeys(thread, commit);
            if (!replayed.isEmpty()) {
                return CommitResult.replayed(before, replayed);
            }
            if (commit.changesState() && before.version() != commit.expectedVersion()) {
                return CommitResult.conflict(before);
            }
            List<Stored> toResolve = new ArrayList<>();
            for (Resolution resolution : commit.resolutions()) {
                Stored stored = thread.open.get(seqOf(thread, resolution.messageId()));
                boolean holds = stored != null && (resolution.leaseOwner() == null
                        || (stored.message.actionStatus() == ActionStatus.ACKNOWLEDGED
                        && resolution.leaseOwner().equals(stored.leaseOwner)));
                if (holds) {
                    toResolve.add(stored);
                } else if (resolution.required()) {
                    return CommitResult.conflict(before);
                }
            }
            // Everything checked: from here on the commit applies whole.
            for (int i = 0; i < toResolve.size(); i++) {
                Stored stored = toResolve.get(i);
                ActionStatus outcome = commit.resolutions().stream()
                        .filter(r -> r.messageId() == stored.message.id()).findFirst().orElseThrow().outcome();
                stored.message = stored.message.withActionStatus(outcome);
                stored.leaseOwner = null;
                stored.leaseExpiresAt = null;
                thread.open.remove(stored.message.seq());
            }
            List<Message> appended = new ArrayList<>(commit.messages().size());
            long seq = before.lastSeq();
            for (NewMessage draft : commit.messages()) {
                Message message = new Message(ids.incrementAndGet(), thread.workflowId, ++seq,
                        draft.agentExecutionId(), draft.messageType(), draft.agentType(), draft.content(),
                        draft.metadata(), draft.actionType(), draft.actionStatus(),
                        draft.createdAt().truncatedTo(ChronoUnit.MILLIS), draft.author());
                Stored stored = new Stored(message);
                thread.messages.add(stored);
                thread.seqById.put(message.id(), message.seq());
                if (draft.idempotencyKey() != null) {
                    thread.seqByKey.put(draft.idempotencyKey(), message.seq());
                }
                threadOfMessage.put(message.id(), thread);
                if (message.messageType() == MessageType.USER && message.actionStatus().isOpen()) {
                    thread.open.put(message.seq(), stored);
                }
                appended.add(message);
            }
            StateUpdate update = commit.stateUpdate();
            thread.state = update == null ? before.withLastSeq(seq) : update.applyTo(before, seq);
            if (!before.isFinished() && thread.state.isFinished()) {
                thread.finishedAt = appended.isEmpty() ? Instant.now() : appended.get(appended.size() - 1).createdAt();
                finished.put(new Finished(thread.finishedAt, thread.workflowId), thread);
            } else if (before.isFinished() && !thread.state.isFinished()) {
                finished.remove(new Finished(thread.finishedAt, thread.workflowId));
                thread.finishedAt = null;
            }
            StoreChange change = new StoreChange(thread.workflowId, thread.state.version(), before.lastSeq(), seq,
                    thread.state.isFinished());
            // Told while the workflow is held, so listeners hear of one workflow's commits in order.
            listeners.changed(change);
            return CommitResult.committed(thread.state, appended);
        }
    }

    @Override
    public List<Message> readAfter(long workflowId, long afterSeq, int limit) {
        ThreadRecord thread = threads.get(workflowId);
        if (thread == null) {
            return List.of();
        }
        synchronized (thread) {
            int from = (int) Math.min(Math.max(afterSeq - thread.removed, 0), thread.messages.size());
            int to = (int) Math.min((long) from + limit, thread.messages.size());
            List<Message> page = new ArrayList<>(to - from);
            for (int i = from; i < to; i++) {
                page.add(thread.messages.get(i).message);
            }
            return page;
        }
    }

    @Override
    public List<Message> readNewest(long workflowId, int limit) {
        ThreadRecord thread = threads.get(workflowId);
        if (thread == null) {
            return List.of();
        }
        synchronized (thread) {
            int size = thread.messages.size();
            int from = Math.max(0, size - limit);
            List<Message> page = new ArrayList<>(size - from);
            for (int i = from; i < size; i++) {
                page.add(thread.messages.get(i).message);
            }
            return page;
        }
    }

    @Override
    public List<OpenMessage> findOpenUserMessages(long workflowId, long afterSeq, int limit) {
        ThreadRecord thread = threads.get(workflowId);
        if (thread == null) {
            return List.of();
        }
        synchronized (thread) {
            List<OpenMessage> open = new ArrayList<>();
            for (Stored stored : thread.open.tailMap(afterSeq, false).values()) {
                if (open.size() == limit) {
                    break;
                }
                open.add(new OpenMessage(stored.message, stored.leaseOwner, stored.leaseExpiresAt));
            }
            return open;
        }
    }

    @Override
    public Optional<Message> findMessage(long messageId) {
        ThreadRecord thread = threadOfMessage.get(messageId);
        if (thread == null) {
            return Optional.empty();
        }
        synchronized (thread) {
            long seq = seqOf(thread, messageId);
            return seq < 0 ? Optional.empty()
                    : Optional.of(thread.messages.get((int) (seq - 1 - thread.removed)).message);
        }
    }

    @Override
    public Optional<Message> claim(long messageId, String leaseOwner, Instant now, Instant leaseExpiresAt) {
        ThreadRecord thread = threadOfMessage.get(messageId);
        if (thread == null) {
            return Optional.empty();
        }
        synchronized (thread) {
            Stored stored = thread.open.get(seqOf(thread, messageId));
            if (stored == null) {
                return Optional.empty();
            }
            boolean pending = stored.message.actionStatus() == ActionStatus.PENDING;
            boolean expired = stored.message.actionStatus() == ActionStatus.ACKNOWLEDGED
                    && (stored.leaseExpiresAt == null || !stored.leaseExpiresAt.isAfter(now));
            if (!pending && !expired) {
                return Optional.empty();
            }
            stored.message = stored.message.withActionStatus(ActionStatus.ACKNOWLEDGED);
            stored.leaseOwner = leaseOwner;
            stored.leaseExpiresAt = leaseExpiresAt;
            return Optional.of(stored.message);
        }
    }

    @Override
    public PurgeResult purgeFinished(Instant finishedBefore, int maxMessages) {
        if (maxMessages < 1) {
            throw new IllegalArgumentException("maxMessages must be at least 1, but was " + maxMessages);
        }
        long budget = maxMessages;
        long workflows = 0;
        long messages = 0;
        for (Map.Entry<Finished, ThreadRecord> entry
                : finished.headMap(new Finished(finishedBefore, Long.MIN_VALUE)).entrySet()) {
            if (budget == 0 || workflows == maxMessages) {
                break;
            }
            ThreadRecord thread = entry.getValue();
            synchronized (thread) {
                // Checked again under the workflow's monitor, which every commit takes.
                if (thread.purged || thread.finishedAt == null || !thread.finishedAt.isBefore(finishedBefore)) {
                    continue;
                }
                int count = (int) Math.min(budget, thread.messages.size());
                List<Stored> oldest = thread.messages.subList(0, count);
                for (Stored stored : oldest) {
                    thread.seqById.remove(stored.message.id());
                    threadOfMessage.remove(stored.message.id(), thread);
                    thread.open.remove(stored.message.seq());
                }
                oldest.clear();
                thread.removed += count;
                budget -= count;
                messages += count;
                if (!thread.messages.isEmpty()) {
                    break;
                }
                thread.purged = true;
                threads.remove(thread.workflowId, thread);
                finished.remove(entry.getKey(), thread);
                workflows++;
            }
        }
        return new PurgeResult(workflows, messages);
    }

    @Override
    public Subscription addChangeListener(StoreChangeListener listener) {
        return listeners.add(listener);
    }

    @Override
    public boolean notifiesAllChanges() {
        return true;
    }

    /** Tells the change listeners, once, that the store closed; there is nothing to release. */
    @Override
    public void close() {
        listeners.storeClosed();
    }

    private ThreadRecord require(long workflowId) {
        ThreadRecord thread = threads.get(workflowId);
        if (thread == null) {
            throw new WorkflowNotFoundException(workflowId);
        }
        return thread;
    }

    /** The messages stored under the idempotency keys of the commit's messages; empty when none is. */
    private static List<Message> storedUnderKeys(ThreadRecord thread, Commit commit) {
        List<Message> stored = new ArrayList<>();
        for (NewMessage draft : commit.messages()) {
            Long seq = draft.idempotencyKey() == null ? null : thread.seqByKey.get(draft.idempotencyKey());
            if (seq != null) {
                stored.add(thread.messages.get((int) (seq - 1)).message);
            }
        }
        return stored;
    }

    /** The seq of a message of this thread, or -1 when the id is not one of its messages. */
    private long seqOf(ThreadRecord thread, long messageId) {
        Long seq = thread.seqById.get(messageId);
        return seq == null ? -1 : seq;
    }

    /** One workflow's thread; every field is guarded by the object's monitor. */
    private static final class ThreadRecord {
        final long workflowId;
        final List<Stored> messages = new ArrayList<>();
        final Map<Long, Long> seqById = new java.util.HashMap<>();
        final Map<String, Long> seqByKey = new java.util.HashMap<>();
        final TreeMap<Long, Stored> open = new TreeMap<>();
        WorkflowState state;
        /** When the workflow finished, or null while it runs. */
        Instant finishedAt;
        /** How many of the oldest messages a purge deleted: {@code messages} starts at seq {@code removed + 1}. */
        long removed;
        /** True once purged: the record is out of the map, and a commit that still holds it fails. */
        boolean purged;

        ThreadRecord(long workflowId) {
            this.workflowId = workflowId;
            this.state = WorkflowState.started(workflowId);
        }
    }

    /** The key of a finished thread in {@link #finished}. */
    private record Finished(Instant at, long workflowId) {
    }

    /** A message with its lease. */
    private static final class Stored {
        Message message;
        String leaseOwner;
        Instant leaseExpiresAt;

        Stored(Message message) {
            this.message = message;
        }
    }
}
