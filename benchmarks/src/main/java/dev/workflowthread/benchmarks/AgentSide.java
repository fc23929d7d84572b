package dev.workflowthread.benchmarks;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.function.Consumer;

/**
 * Where the agent loop of a send-to-observed benchmark runs: a thread of the benchmark's JVM, or
 * a JVM of its own. The benchmark thread sends, then waits for the loop to say what it observed:
 * in one JVM by spinning on a counter, across processes by reading the child's stdout. Each
 * observation comes with the {@link System#nanoTime()} the loop's side took when it was told.
 */
abstract class AgentSide implements AutoCloseable {

    /** How long a benchmark waits for an observation before it fails. */
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** Starts a loop on the workflow (ending the previous one) and waits until its first checkpoint ran. */
    abstract void run(long workflowId);

    /**
     * Waits until the loop observed {@code event}; an observation not yet awaited counts.
     *
     * @return when the loop's side was told of it, by {@link System#nanoTime()} in its own JVM
     */
    abstract long await(AgentLoop.Event event);

    /** Where a child's side records how long after the pause's commit the event reached a listener there. */
    void wakePath(WakePath path) {
    }

    /** Ends the loop (and the child process). */
    @Override
    public abstract void close();

    /** A loop in a thread of this JVM. */
    static AgentSide inThisJvm(Function<Consumer<AgentLoop.Event>, Function<Long, AgentLoop>> loops) {
        return new InJvm(loops);
    }

    /** A loop in a child JVM running {@link AgentProcess} with these arguments. */
    static AgentSide inChildProcess(String... arguments) {
        return new Child(arguments);
    }

    private static final class InJvm extends AgentSide {
        private static final long SPIN_NANOS = 20_000;
        private final AtomicLongArray observed = new AtomicLongArray(AgentLoop.Event.values().length);
        private final AtomicLongArray observedAt = new AtomicLongArray(AgentLoop.Event.values().length);
        private final long[] awaited = new long[AgentLoop.Event.values().length];
        private final Function<Long, AgentLoop> loops;
        /** The benchmark's thread while it is parked in {@link #await}, else null. */
        private volatile Thread waiter;
        private AgentLoop loop;
        private Thread thread;

        InJvm(Function<Consumer<AgentLoop.Event>, Function<Long, AgentLoop>> loops) {
            this.loops = loops.apply(event -> {
                observedAt.set(event.ordinal(), System.nanoTime());
                observed.incrementAndGet(event.ordinal());
                Thread parked = waiter;
                if (parked != null) {
                    LockSupport.unpark(parked);
                }
            });
        }

        @Override
        void run(long workflowId) {
            stopLoop();
            loop = loops.apply(workflowId);
            thread = new Thread(loop, "agent-loop-" + workflowId);
            thread.setDaemon(true);
            thread.start();
            await(AgentLoop.Event.READY);
        }

        @Override
        long await(AgentLoop.Event event) {
            int index = event.ordinal();
            long target = awaited[index] + 1;
            long start = System.nanoTime();
            try {
                while (observed.get(index) < target) {
                    // Spin through the first SPIN_NANOS, then park until the loop's side unparks
                    // this thread: on two cores a waiter that spins, or yields, for milliseconds
                    // takes the core the agent loop, the listeners and the database need.
                    long waited = System.nanoTime() - start;
                    if (waited < SPIN_NANOS) {
                        Thread.onSpinWait();
                    } else if (waited < TIMEOUT.toNanos()) {
                        waiter = Thread.currentThread();
                        if (observed.get(index) < target) {
                            LockSupport.parkNanos(this, TIMEOUT.toNanos() - waited);
                        }
                    } else {
                        throw new IllegalStateException("the agent loop did not observe " + event + " within " + TIMEOUT);
                    }
                }
            } finally {
                waiter = null;
            }
            awaited[index] = target;
            return observedAt.get(index);
        }

        private void stopLoop() {
            if (loop != null) {
                loop.stop();
                thread.interrupt();
                try {
                    thread.join(TIMEOUT.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        @Override
        public void close() {
            stopLoop();
        }
    }

    private static final class Child extends AgentSide {
        private final ChildJvm process;
        /** Observations read but not awaited yet: when each was told, oldest first. */
        private final Map<AgentLoop.Event, ArrayDeque<Long>> pending = new EnumMap<>(AgentLoop.Event.class);
        private WakePath path;
        private long lastPauseCommitted = -1;

        Child(String... arguments) {
            process = new ChildJvm(AgentProcess.class, arguments);
        }

        @Override
        void wakePath(WakePath path) {
            this.path = path;
        }

        @Override
        void run(long workflowId) {
            process.send("run " + workflowId);
            await(AgentLoop.Event.READY);
        }

        @Override
        long await(AgentLoop.Event event) {
            ArrayDeque<Long> earlier = pending.get(event);
            if (earlier != null && !earlier.isEmpty()) {
                return earlier.removeFirst();
            }
            while (true) {
                String[] line = process.readLine().split(" ");
                AgentLoop.Event seen = AgentLoop.Event.valueOf(line[0]);
                long at = Long.parseLong(line[2]);
                if (seen == AgentLoop.Event.PAUSED) {
                    lastPauseCommitted = at;
                } else if (seen == AgentLoop.Event.PAUSE_DELIVERED && path != null && lastPauseCommitted >= 0) {
                    path.record(WakePath.PAUSE_EVENT, at - lastPauseCommitted);
                    lastPauseCommitted = -1;
                }
                if (seen == event) {
                    return at;
                }
                if (seen != AgentLoop.Event.PAUSE_DELIVERED) {
                    pending.computeIfAbsent(seen, e -> new ArrayDeque<>()).addLast(at);
                }
            }
        }

        @Override
        public void close() {
            process.close();
        }
    }
}
