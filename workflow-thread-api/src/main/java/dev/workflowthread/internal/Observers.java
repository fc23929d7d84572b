package dev.workflowthread.internal;

import dev.workflowthread.ActionStatus;
import dev.workflowthread.ActionTaken;
import dev.workflowthread.ActionType;
import dev.workflowthread.PauseTimeoutOutcome;
import dev.workflowthread.StorageException;
import dev.workflowthread.WorkflowThreadObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The no-op observer, the one that tells several, and the guard the core calls every observer
 * through: whatever an observer throws is logged with the exception and goes no further.
 */
public final class Observers {
    private static final Logger LOG = LoggerFactory.getLogger(Observers.class);

    /** Does nothing. */
    public static final WorkflowThreadObserver NONE = new WorkflowThreadObserver() {
        @Override
        public String toString() {
            return "WorkflowThreadObserver.none()";
        }
    };

    private Observers() {
    }

    /** Tells each of {@code observers} in order; see {@link WorkflowThreadObserver#all}. */
    public static WorkflowThreadObserver all(List<? extends WorkflowThreadObserver> observers) {
        if (observers == null) {
            throw new IllegalArgumentException("observers must not be null");
        }
        List<WorkflowThreadObserver> each = new ArrayList<>();
        for (WorkflowThreadObserver observer : observers) {
            if (observer == null) {
                throw new IllegalArgumentException("observers must not contain null, but element " + each.size()
                        + " was null");
            }
            each.add(observer);
        }
        return new Guarded(List.copyOf(each));
    }

    /** {@code observer}, called so that what it throws is logged and swallowed. */
    static WorkflowThreadObserver guarded(WorkflowThreadObserver observer) {
        if (observer == NONE || observer instanceof Guarded) {
            return observer;
        }
        return new Guarded(List.of(observer));
    }

    private static final class Guarded implements WorkflowThreadObserver {
        private final List<WorkflowThreadObserver> observers;

        Guarded(List<WorkflowThreadObserver> observers) {
            this.observers = observers;
        }

        private void tell(String what, Consumer<WorkflowThreadObserver> call) {
            for (WorkflowThreadObserver observer : observers) {
                try {
                    call.accept(observer);
                } catch (RuntimeException e) {
                    LOG.warn("observer {} failed on {}; going on", observer, what, e);
                }
            }
        }

        @Override
        public void attached(Gauges gauges) {
            tell("attached", o -> o.attached(gauges));
        }

        @Override
        public void messageSent(long workflowId, ActionType actionType, ActionTaken taken) {
            tell("messageSent", o -> o.messageSent(workflowId, actionType, taken));
        }

        @Override
        public void messageApplied(long workflowId, ActionType actionType, ActionStatus outcome, Duration sinceSent) {
            tell("messageApplied", o -> o.messageApplied(workflowId, actionType, outcome, sinceSent));
        }

        @Override
        public void pauseEnded(long workflowId, Duration pausedFor) {
            tell("pauseEnded", o -> o.pauseEnded(workflowId, pausedFor));
        }

        @Override
        public void pauseTimedOut(long workflowId, PauseTimeoutOutcome outcome) {
            tell("pauseTimedOut", o -> o.pauseTimedOut(workflowId, outcome));
        }

        @Override
        public void listenerDelivered(long workflowId, Duration lag) {
            tell("listenerDelivered", o -> o.listenerDelivered(workflowId, lag));
        }

        @Override
        public void listenerFailed(long workflowId, String eventName, Throwable failure) {
            tell("listenerFailed", o -> o.listenerFailed(workflowId, eventName, failure));
        }

        @Override
        public void storeRetried(String operation, Throwable cause) {
            tell("storeRetried", o -> o.storeRetried(operation, cause));
        }

        @Override
        public void storeFailed(StorageException failure) {
            tell("storeFailed", o -> o.storeFailed(failure));
        }

        @Override
        public String toString() {
            return observers.size() == 1 ? observers.get(0).toString() : "WorkflowThreadObserver.all(" + observers + ")";
        }
    }
}
