package dev.workflowthread.internal;

import dev.workflowthread.spi.StoreChange;
import java.lang.ref.WeakReference;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@link WorkflowSignal}s of the workflows this JVM's checkpoints watch. A checkpoint holds its
 * signal; the hub holds it weakly, so a workflow whose checkpoints are gone (finished or abandoned)
 * leaves nothing behind for long.
 */
final class SignalHub {
    private final ConcurrentHashMap<Long, WeakReference<WorkflowSignal>> signals = new ConcurrentHashMap<>();
    /** The size at which the next {@link #signalFor} sweeps out signals nobody holds any more. */
    private int sweepAt = 1024;

    WorkflowSignal signalFor(long workflowId, long currentVersion) {
        WorkflowSignal[] result = new WorkflowSignal[1];
        signals.compute(workflowId, (id, ref) -> {
            WorkflowSignal existing = ref == null ? null : ref.get();
            if (existing != null) {
                result[0] = existing;
                return ref;
            }
            result[0] = new WorkflowSignal(currentVersion);
            return new WeakReference<>(result[0]);
        });
        result[0].hold();
        result[0].advance(currentVersion);
        sweepIfLarge();
        return result[0];
    }

    private void sweepIfLarge() {
        if (signals.size() < sweepAt) {
            return;
        }
        signals.values().removeIf(ref -> ref.get() == null);
        sweepAt = Math.max(1024, signals.size() * 2);
    }

    /** The workflows that checkpoints of this JVM still hold a signal for. */
    Set<Long> watchedWorkflows() {
        Set<Long> watched = new HashSet<>();
        signals.forEach((workflowId, ref) -> {
            WorkflowSignal signal = ref.get();
            if (signal != null && signal.isHeld()) {
                watched.add(workflowId);
            }
        });
        return watched;
    }

    /** A guard closed: once no open guard holds the workflow's signal, it is watched no more. */
    void release(long workflowId, WorkflowSignal signal) {
        if (signal.release()) {
            signals.computeIfPresent(workflowId, (id, ref) -> ref.get() == signal && !signal.isHeld() ? null : ref);
        }
    }

    /** Moves every signal past any version, so that every checkpoint scans (and finds the service closed). */
    void closeAll() {
        signals.values().forEach(ref -> {
            WorkflowSignal signal = ref.get();
            if (signal != null) {
                signal.advance(Long.MAX_VALUE);
            }
        });
        signals.clear();
    }

    void onChange(StoreChange change) {
        WeakReference<WorkflowSignal> ref = signals.get(change.workflowId());
        if (ref == null) {
            return;
        }
        WorkflowSignal signal = ref.get();
        if (signal == null) {
            signals.remove(change.workflowId(), ref);
            return;
        }
        signal.advance(change.version());
        if (change.finished()) {
            // The finishing change was signalled above; a checkpoint still holding this signal
            // rescans on it and stops. Nothing after it can make a checkpoint act.
            signals.remove(change.workflowId(), ref);
        }
    }
}
