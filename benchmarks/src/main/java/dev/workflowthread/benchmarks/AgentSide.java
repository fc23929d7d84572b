package dev.workflowthread.benchmarks;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Function;
import java.util.function.Consumer;

/**
 * Where the agent loop of a send-to-observed benchmark runs: a thread of the benchmark's JVM, or
 * a JVM of its own. The benchmark thread sends, then waits for the loop to say what it observed:
 * in one JVM by spinning on a counter, across processes by reading the child's stdout.
 */
abstract class AgentSide implements AutoCloseable {

    /** How long a benchmark waits for an observation before it fails. */
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** Starts a loop on the workflow (ending the previous one) and waits until its first checkpoint ran. */
    abstract void run(long workflowId);

    /** Waits until the loop observed {@code event}; an observation not yet awaited counts. */
    abstract void await(AgentLoop.Event event);

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
        private final long[] awaited = new long[AgentLoop.Event.values().length];
        private final Function<Long, AgentLoop> loops;
        private AgentLoop loop;
        private Thread thread;

        InJvm(Function<Consumer<AgentLoop.Event>, Function<Long, AgentLoop>> loops) {
            this.loops = loops.apply(event -> observed.incrementAndGet(event.ordinal()));
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
        void await(AgentLoop.Event event) {
            int index = event.ordinal();
            long target = awaited[index] + 1;
            long start = System.nanoTime();
            while (observed.get(index) < target) {
                // Spin through the first SPIN_NANOS, then yield: on two cores a waiter that spins
                // for milliseconds takes the core the database and the agent loop need.
                long waited = System.nanoTime() - start;
                if (waited < SPIN_NANOS) {
                    Thread.onSpinWait();
                } else if (waited < TIMEOUT.toNanos()) {
                    Thread.yield();
                } else {
                    throw new IllegalStateException("the agent loop did not observe " + event + " within " + TIMEOUT);
                }
            }
            awaited[index] = target;
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
        private final Map<AgentLoop.Event, Long> pending = new EnumMap<>(AgentLoop.Event.class);

        Child(String... arguments) {
            process = new ChildJvm(AgentProcess.class, arguments);
        }

        @Override
        void run(long workflowId) {
            process.send("run " + workflowId);
            await(AgentLoop.Event.READY);
        }

        @Override
        void await(AgentLoop.Event event) {
            Long earlier = pending.get(event);
            if (earlier != null && earlier > 0) {
                pending.put(event, earlier - 1);
                return;
            }
            while (true) {
                String line = process.readLine();
                AgentLoop.Event seen = AgentLoop.Event.valueOf(line.substring(0, line.indexOf(' ')));
                if (seen == event) {
                    return;
                }
                pending.merge(seen, 1L, Long::sum);
            }
        }

        @Override
        public void close() {
            process.close();
        }
    }
}
