package dev.workflowthread.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;

/**
 * Send to observed: the time from a person's pause, resume or cancel being sent to the agent loop
 * having obeyed it (see {@link AgentLoop.Event}). Each invocation is prepared untimed: a running
 * workflow for {@code pause}, a paused one for {@code resume}, a new running one for
 * {@code cancel}. Subclasses say where the loop runs and which design it uses. Beside JMH's
 * figure, each invocation's stages go to a {@link WakePath}.
 */
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 4, time = 3)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public abstract class SendToObserved extends SenderAndAgent {

    private final WakePath path = new WakePath();
    private long workflowId;
    private boolean paused;
    private boolean finished = true;

    @Setup(Level.Iteration)
    public void iteration(BenchmarkParams params, IterationParams iteration) {
        path.starting(iteration);
        // The pause's event is timed in the pause's trials only (the others pause untimed, to prepare).
        agent.wakePath(params.getBenchmark().endsWith(".pause") ? path : null);
    }

    @TearDown(Level.Trial)
    public void writeWakePath(BenchmarkParams params) {
        path.write(params);
    }

    /** Sends, waits until the loop observed {@code event}, and records the stages of the wake-up. */
    private void sendAndAwait(String action, AgentLoop.Event event) {
        long start = System.nanoTime();
        sender.send(workflowId, action);
        long sent = System.nanoTime();
        long obeyed = agent.await(event);
        path.recordWakeUp(start, sent, obeyed, System.nanoTime());
    }

    /**
     * How long the person waits, untimed, after the invocation is prepared and before sending: a
     * random time within the poll period where the agent side polls, zero where it is woken. An
     * invocation is prepared right after the agent side woke, so a message sent at once would
     * always meet the same phase of the poll, and wait nearly a whole period every time.
     *
     * @param resume true for a {@code resume} invocation
     */
    protected long thinkTimeMillis(boolean resume) {
        return 0;
    }

    @Setup(Level.Invocation)
    public void prepare(BenchmarkParams params) throws InterruptedException {
        String benchmark = params.getBenchmark();
        boolean wantPaused = benchmark.endsWith(".resume");
        if (finished || benchmark.endsWith(".cancel")) {
            workflowId++;
            sender.start(workflowId);
            agent.run(workflowId);
            finished = false;
            paused = false;
        }
        if (wantPaused && !paused) {
            sender.send(workflowId, "pause");
            agent.await(AgentLoop.Event.PAUSED);
            paused = true;
        } else if (!wantPaused && paused) {
            sender.send(workflowId, "resume");
            agent.await(AgentLoop.Event.RUNNING);
            paused = false;
        }
        Thread.sleep(thinkTimeMillis(wantPaused));
    }

    @Benchmark
    public void pause() {
        sendAndAwait("pause", AgentLoop.Event.PAUSED);
        paused = true;
    }

    @Benchmark
    public void resume() {
        sendAndAwait("resume", AgentLoop.Event.RUNNING);
        paused = false;
    }

    @Benchmark
    public void cancel() {
        sendAndAwait("cancel", AgentLoop.Event.CANCELLED);
        finished = true;
    }
}
