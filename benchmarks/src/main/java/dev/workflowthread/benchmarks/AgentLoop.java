package dev.workflowthread.benchmarks;

import dev.workflowthread.ActionStatus;
import dev.workflowthread.ActionType;
import dev.workflowthread.CheckpointGuard;
import dev.workflowthread.Message;
import dev.workflowthread.StopToken;
import dev.workflowthread.Subscription;
import dev.workflowthread.ThreadEvent;
import dev.workflowthread.WorkflowCancelledException;
import dev.workflowthread.WorkflowMessages;
import dev.workflowthread.WorkflowThreadConfig;
import dev.workflowthread.WorkflowThreadObserver;
import dev.workflowthread.spi.ThreadStore;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * An agent loop on one workflow, as a host writes it: a checkpoint, then a short step, again and
 * again. It tells what it observed: {@link Event#READY} after its first checkpoint,
 * {@link Event#PAUSED} once the pause is in effect, {@link Event#RUNNING} when the checkpoint
 * returns after a pause, {@link Event#CANCELLED} when it stops; the library's loop also tells
 * {@link Event#PAUSE_DELIVERED} when the {@code workflow:paused} event reached a listener in its
 * JVM. Whoever takes the events stamps them with {@link System#nanoTime()} (see {@link WakePath}).
 * The loop {@link #withStopToken} takes
 * long steps instead, each lasting until its stop token fires, and tells {@link Event#ARMED} when a
 * step's token is armed and {@link Event#STOPPED} when it fired.
 */
final class AgentLoop implements Runnable {

    /** What the loop observed. */
    enum Event { READY, PAUSED, RUNNING, CANCELLED, ARMED, STOPPED, PAUSE_DELIVERED }

    /**
     * Tells each library loop when a checkpoint of its workflow committed a pause: the observer of
     * every service the library's loops run on ({@link #service}).
     */
    private static final PauseCommits PAUSE_COMMITS = new PauseCommits();

    private static final class PauseCommits implements WorkflowThreadObserver {
        private final Map<Long, Runnable> loops = new ConcurrentHashMap<>();

        @Override
        public void messageApplied(long workflowId, ActionType actionType, ActionStatus outcome, Duration sinceSent) {
            if (actionType == ActionType.PAUSE && outcome == ActionStatus.PROCESSED) {
                Runnable loop = loops.get(workflowId);
                if (loop != null) {
                    loop.run();
                }
            }
        }
    }

    /**
     * The service the library's loops run on: the library's defaults, and an observer that tells
     * each loop of its workflow's pause the moment the checkpoint committed it.
     */
    static WorkflowMessages service(ThreadStore store) {
        return WorkflowMessages.create(store, WorkflowThreadConfig.builder().observer(PAUSE_COMMITS).build());
    }

    /** One agent step between checkpoints: a park of 20 µs (about 70 µs with the kernel's timer slack). */
    static final long STEP_NANOS = 20_000;

    private interface Checkpoint {
        /** True when the call waited through a pause. */
        boolean check() throws InterruptedException;
    }

    /** The agent's work between two checkpoints. */
    private interface Step {
        void take() throws InterruptedException;
    }

    /** The short step of the loops on {@code check()} alone. */
    private static final Step PARK = () -> LockSupport.parkNanos(STEP_NANOS);

    private final Checkpoint checkpoint;
    private final Step step;
    private final Consumer<Event> events;
    private final AutoCloseable resources;
    private volatile boolean stopped;

    private AgentLoop(Checkpoint checkpoint, Step step, Consumer<Event> events, AutoCloseable resources) {
        this.checkpoint = checkpoint;
        this.step = step;
        this.events = events;
        this.resources = resources;
    }

    /**
     * A loop on the library's {@link CheckpointGuard}, on a {@link #service}. The pause is observed
     * where DBOS's {@code recv} returns: once the checkpoint committed it (the observer's
     * {@code messageApplied}, on the loop's thread, right before it waits); the resume when
     * {@code check()} returns, the cancel when it throws. The {@code workflow:paused} event, as a
     * host's UI bridge in the agent's JVM would see it, is told as {@link Event#PAUSE_DELIVERED}.
     */
    static AgentLoop library(WorkflowMessages messages, long workflowId, Consumer<Event> events) {
        CheckpointGuard guard = messages.guard(workflowId);
        AtomicBoolean paused = new AtomicBoolean();
        PAUSE_COMMITS.loops.put(workflowId, () -> {
            paused.set(true);
            events.accept(Event.PAUSED);
        });
        Subscription subscription = messages.subscribe(workflowId, messages.getState(workflowId).lastSeq(), event -> {
            if (event instanceof ThreadEvent.WorkflowPaused) {
                events.accept(Event.PAUSE_DELIVERED);
            }
        });
        return new AgentLoop(() -> {
            guard.check();
            return paused.getAndSet(false);
        }, PARK, events, () -> {
            PAUSE_COMMITS.loops.remove(workflowId);
            subscription.close();
        });
    }

    /**
     * A loop on the library's {@link CheckpointGuard} whose steps are long (a model call, a build)
     * and end when the step's {@link StopToken} fires: the token is told from another thread, in
     * its {@code onStop} callback, which reports {@link Event#STOPPED} at once. The next check
     * hands an urgent instruction over (answered here) or throws for a cancel.
     */
    static AgentLoop withStopToken(WorkflowMessages messages, long workflowId, Consumer<Event> events) {
        CheckpointGuard guard = messages.guard(workflowId);
        StopToken[] token = new StopToken[1];
        return new AgentLoop(() -> {
            for (Message handed : guard.check().instructions()) {
                guard.acknowledge(handed, "Acknowledged user context - " + handed.content());
            }
            token[0] = guard.stopToken();
            token[0].onStop(reason -> events.accept(Event.STOPPED));
            events.accept(Event.ARMED);
            return false;
        }, () -> {
            try {
                token[0].whenStopped().get(AgentSide.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException | ExecutionException e) {
                throw new IllegalStateException("the stop token of workflow " + workflowId + " did not fire within "
                        + AgentSide.TIMEOUT, e);
            }
        }, events, () -> { });
    }

    /** A loop on the plan's Option A. */
    static AgentLoop optionA(OptionABaseline baseline, long workflowId, Consumer<Event> events) {
        return new AgentLoop(() -> {
            OptionABaseline.Outcome outcome = baseline.check(workflowId, () -> events.accept(Event.PAUSED));
            if (outcome == OptionABaseline.Outcome.CANCELLED) {
                throw new WorkflowCancelledException(workflowId, "cancelled");
            }
            return outcome == OptionABaseline.Outcome.RESUMED;
        }, PARK, events, () -> { });
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
                step.take();
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
