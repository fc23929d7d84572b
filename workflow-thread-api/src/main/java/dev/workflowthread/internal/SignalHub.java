package dev.workflowthread.internal;

import dev.workflowthread.spi.StoreChange;
import java.util.concurrent.ConcurrentHashMap;

/** The {@link WorkflowSignal}s of the workflows this JVM's checkpoints watch. */
final class SignalHub {
    private final ConcurrentHashMap<Long, WorkflowSignal> signals = new ConcurrentHashMap<>();

    WorkflowSignal signalFor(long workflowId, long currentVersion) {
        WorkflowSignal signal = signals.computeIfAbsent(workflowId, id -> new WorkflowSignal(currentVersion));
        signal.advance(currentVersion);
        return signal;
    }

    /** Moves every signal past any version, so that every checkpoint scans (and finds the service closed). */
    void closeAll() {
        signals.values().forEach(signal -> signal.advance(Long.MAX_VALUE));
        signals.clear();
    }

    void onChange(StoreChange change) {
        WorkflowSignal signal = signals.get(change.workflowId());
        if (signal == null) {
            return;
        }
        signal.advance(change.version());
        if (change.finished()) {
            // The finishing change was signalled above; a checkpoint still holding this signal
            // rescans on it and stops. Nothing after it can make a checkpoint act.
            signals.remove(change.workflowId(), signal);
        }
    }
}
