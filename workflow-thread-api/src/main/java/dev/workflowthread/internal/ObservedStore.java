package dev.workflowthread.internal;

import dev.workflowthread.Message;
import dev.workflowthread.PurgeResult;
import dev.workflowthread.StorageException;
import dev.workflowthread.Subscription;
import dev.workflowthread.WorkflowState;
import dev.workflowthread.WorkflowThreadObserver;
import dev.workflowthread.spi.Commit;
import dev.workflowthread.spi.CommitResult;
import dev.workflowthread.spi.OpenMessage;
import dev.workflowthread.spi.StoreChangeListener;
import dev.workflowthread.spi.ThreadStore;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The store as the service uses it, telling the observer of every {@link StorageException} on
 * the way to the caller; otherwise the store itself. Only made when an observer is configured.
 */
final class ObservedStore implements ThreadStore {
    private final ThreadStore store;
    private final WorkflowThreadObserver observer;

    private ObservedStore(ThreadStore store, WorkflowThreadObserver observer) {
        this.store = store;
        this.observer = observer;
    }

    static ThreadStore of(ThreadStore store, WorkflowThreadObserver observer) {
        return observer == Observers.NONE ? store : new ObservedStore(store, observer);
    }

    private <T> T observed(Supplier<T> call) {
        try {
            return call.get();
        } catch (StorageException e) {
            observer.storeFailed(e);
            throw e;
        }
    }

    @Override
    public WorkflowState createIfAbsent(long workflowId, Instant now) {
        return observed(() -> store.createIfAbsent(workflowId, now));
    }

    @Override
    public Optional<WorkflowState> findState(long workflowId) {
        return observed(() -> store.findState(workflowId));
    }

    @Override
    public CommitResult commit(Commit commit) {
        return observed(() -> store.commit(commit));
    }

    @Override
    public List<Message> readAfter(long workflowId, long afterSeq, int limit) {
        return observed(() -> store.readAfter(workflowId, afterSeq, limit));
    }

    @Override
    public List<Message> readNewest(long workflowId, int limit) {
        return observed(() -> store.readNewest(workflowId, limit));
    }

    @Override
    public List<OpenMessage> findOpenUserMessages(long workflowId, long afterSeq, int limit) {
        return observed(() -> store.findOpenUserMessages(workflowId, afterSeq, limit));
    }

    @Override
    public Optional<Message> findMessage(long messageId) {
        return observed(() -> store.findMessage(messageId));
    }

    @Override
    public Optional<Message> claim(long messageId, String leaseOwner, Instant now, Instant leaseExpiresAt) {
        return observed(() -> store.claim(messageId, leaseOwner, now, leaseExpiresAt));
    }

    @Override
    public PurgeResult purgeFinished(Instant finishedBefore, int maxMessages) {
        return observed(() -> store.purgeFinished(finishedBefore, maxMessages));
    }

    @Override
    public Subscription addChangeListener(StoreChangeListener listener) {
        return observed(() -> store.addChangeListener(listener));
    }

    @Override
    public boolean notifiesAllChanges() {
        return store.notifiesAllChanges();
    }

    @Override
    public void close() {
        store.close();
    }

    @Override
    public String toString() {
        return store.toString();
    }
}
