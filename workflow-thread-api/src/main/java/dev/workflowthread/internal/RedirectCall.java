package dev.workflowthread.internal;

import java.util.function.LongSupplier;

/**
 * One call of the host's redirect handler for one redirect message, shared by the checkpoints of
 * one service: the checkpoint that made it calls the handler, the others wait for it and use its
 * result (or its failure). So a handler that outlasts the lease is not called a second time here.
 */
final class RedirectCall {
    private final String owner;
    private volatile boolean done;
    private long newWorkflowId;
    private RuntimeException failure;

    RedirectCall(String owner) {
        this.owner = owner;
    }

    boolean isOwnedBy(String guard) {
        return owner.equals(guard);
    }

    boolean isDone() {
        return done;
    }

    /**
     * Calls the handler; its result or exception is kept for every checkpoint that asks. An
     * {@link Error} is not kept: it propagates and leaves the call not done.
     */
    void complete(LongSupplier handler) {
        try {
            newWorkflowId = handler.getAsLong();
        } catch (RuntimeException e) {
            failure = e;
        }
        done = true;
    }

    /** The new workflow's id; throws what the handler threw. */
    long newWorkflowId() {
        if (failure != null) {
            throw failure;
        }
        return newWorkflowId;
    }
}
