package dev.workflowthread.internal;

import dev.workflowthread.InvalidMessageException;
import dev.workflowthread.StopReason;
import dev.workflowthread.StopRequestedException;
import dev.workflowthread.StopToken;
import dev.workflowthread.Subscription;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stop token of one step of one guard: armed when the agent asks for it, fired at most once
 * (by {@link StopTokens}), closed when the guard's next checkpoint ends the step. Firing and
 * closing take the token's lock, so an interrupt of the step's thread never reaches the next step.
 */
final class StepToken implements StopToken {
    private static final Logger LOG = LoggerFactory.getLogger(StepToken.class);

    private final long workflowId;
    /** The lease owner of the guard whose step this is. */
    private final String owner;
    /** The newest seq the checkpoint before this step had read: older messages were its to act on. */
    private final long afterSeq;
    /**
     * The agent at work when the token fires, for the thread's "Interrupting ..." notice (it may
     * return null): asked then, since a token a quiet check() kept may outlive the agent that
     * asked for it.
     */
    private final Supplier<String> agentType;
    /** The thread to interrupt when fired, or null. */
    private final Thread stepThread;

    private volatile StopReason reason;
    /** Guarded by this: whether the step ended. */
    private boolean closed;
    /** Guarded by this. */
    private final List<Consumer<StopReason>> callbacks = new ArrayList<>();
    /** Guarded by this: whether firing interrupted {@link #stepThread}. */
    private boolean interrupted;

    StepToken(long workflowId, String owner, long afterSeq, Supplier<String> agentType, Thread stepThread) {
        this.workflowId = workflowId;
        this.owner = owner;
        this.afterSeq = afterSeq;
        this.agentType = agentType;
        this.stepThread = stepThread;
    }

    long workflowId() {
        return workflowId;
    }

    String owner() {
        return owner;
    }

    long afterSeq() {
        return afterSeq;
    }

    String agentType() {
        return agentType.get();
    }

    @Override
    public boolean isStopRequested() {
        return reason != null;
    }

    @Override
    public Optional<StopReason> reason() {
        return Optional.ofNullable(reason);
    }

    @Override
    public void throwIfStopRequested() {
        StopReason fired = reason;
        if (fired != null) {
            throw new StopRequestedException(workflowId, fired);
        }
    }

    @Override
    public Subscription onStop(Consumer<StopReason> callback) {
        InvalidMessageException.requireNonNull("callback", callback);
        StopReason fired;
        synchronized (this) {
            fired = reason;
            if (fired == null && !closed) {
                callbacks.add(callback);
                return () -> {
                    synchronized (StepToken.this) {
                        callbacks.remove(callback);
                    }
                };
            }
        }
        if (fired != null) {
            run(callback, fired);
        }
        return () -> { };
    }

    @Override
    public CompletableFuture<StopReason> whenStopped() {
        CompletableFuture<StopReason> future = new CompletableFuture<>();
        onStop(future::complete);
        return future;
    }

    /** Fires the token unless it fired or its step ended; true when this call fired it. */
    boolean fire(StopReason why) {
        List<Consumer<StopReason>> toRun;
        synchronized (this) {
            if (reason != null || closed) {
                return false;
            }
            // The interrupt before the reason: a step that sees the stop is interrupted already,
            // not in the middle of what it does next.
            if (stepThread != null) {
                stepThread.interrupt();
                interrupted = true;
            }
            reason = why;
            toRun = List.copyOf(callbacks);
            callbacks.clear();
        }
        LOG.debug("stop token of workflow {} fired: {}", workflowId, why);
        toRun.forEach(callback -> run(callback, why));
        return true;
    }

    /**
     * Ends the step: the token fires no more. Returns true when firing interrupted the calling
     * thread, whose interrupt status the caller then clears.
     */
    boolean close() {
        synchronized (this) {
            closed = true;
            callbacks.clear();
            return interrupted && stepThread == Thread.currentThread();
        }
    }

    boolean isClosed() {
        synchronized (this) {
            return closed;
        }
    }

    private void run(Consumer<StopReason> callback, StopReason why) {
        try {
            callback.accept(why);
        } catch (RuntimeException | Error e) {
            // Neither the sender's thread nor the other callbacks are the callback's to fail.
            LOG.error("a stop token callback of workflow {} failed", workflowId, e);
            if (e instanceof VirtualMachineError fatal) {
                throw fatal;
            }
        }
    }

    @Override
    public String toString() {
        StopReason fired = reason;
        return "StopToken[workflow " + workflowId + ", " + (fired == null ? "not fired" : "fired: " + fired) + "]";
    }
}
