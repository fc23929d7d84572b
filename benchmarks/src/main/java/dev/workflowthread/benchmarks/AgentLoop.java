package dev.workflowthread.benchmarks;

import dev.workflowthread.CheckpointGuard;
import dev.workflowthread.Subscription;
import dev.workflowthread.ThreadEvent;
import dev.workflowthread.WorkflowCancelledException;
import dev.workflowthread.WorkflowMessages;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * An agent loop on one workflow, as a host writes it: a checkpoint, then a short step, again and
 * again. It tells what it observed: {@link Event#READY} after its first checkpoint,
 * {@link Event#PAUSED} once the pause is in effect, {@link Event#RUNNING} when the checkpoint
 * returns after a pause, {@link Event#CANCELLED} when it stops.
 */
final class AgentLoop implements Runnable {

    /** What the loop observed. */
    enum Event { READY, PAUSED, RUNNING, CANCELLED }

    /** One agent step between checkpoints: a park of 20 µs (about 70 µs with the kernel's timer slack). */
    static final long STEP_NANOS = 20_000;

    private interface Checkpoint {
        /** True when the call waited through a pause. */
        boolean check() throws InterruptedException;
    }

    private final Checkpoint checkpoint;
    private final Consumer<Event> events;
    private final AutoCloseable resources;
    private volatile boolean stopped;

    private AgentLoop(Checkpoint checkpoint, Consumer<Event> events, AutoCloseable resources) {
        this.checkpoint = checkpoint;
        this.events = events;
        this.resources = resources;
    }

    /**
     * A loop on the library's {@link CheckpointGuard}. The pause is observed by the
     * {@code workflow:paused} event in this JVM, as a host's UI bridge would see it.
     */
    static AgentLoop library(WorkflowMessages messages, long workflowId, Consumer<Event> events) {
        CheckpointGuard guard = messages.guard(workflowId);
        AtomicBoolean paused = new AtomicBoolean();
        Subscription subscription = messages.subscribe(workflowId, messages.getState(workflowId).lastSeq(), event -> {
            if (event instanceof ThreadEvent.WorkflowPaused) {
                paused.set(true);
                events.accept(Event.PAUSED);
            }
        });
        return new AgentLoop(() -> {
            guard.check();
            return paused.getAndSet(false);
        }, events, subscription::close);
    }

    /** A loop on the plan's Option A. */
    static AgentLoop optionA(OptionABaseline baseline, long workflowId, Consumer<Event> events) {
        return new AgentLoop(() -> {
            OptionABaseline.Outcome outcome = baseline.check(workflowId, () -> events.accept(Event.PAUSED));
            if (outcome == OptionABaseline.Outcome.CANCELLED) {
                throw new WorkflowCancelledException(workflowId, "cancelled");
            }
            return outcome == OptionABaseline.Outcome.RESUMED;
        }, events, () -> { });
    }

    @Override
    public void run() {
        try {
            boolean first = true;
            while (!stopped) {
                if (checkpoint.check()) {
                    events.accept(Event.RUNNING);
                }
                if (first) {
                    events.accept(Event.READY);
                    first = false;
                }
                LockSupport.parkNanos(STEP_NANOS);
            }
        } catch (WorkflowCancelledException e) {
            events.accept(Event.CANCELLED);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                resources.close();
            } catch (Exception e) {
                // closing a subscription does not fail in practice; nothing to do here
            }
        }
    }

    /** Ends the loop at its next step. */
    void stop() {
        stopped = true;
    }
}
