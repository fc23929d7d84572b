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
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * Send to stopped: the time from a person's urgent instruction ({@code metadata.delivery =
 * "interrupt"}) or cancel being sent to the stop token of the agent's step in progress having
 * fired, its {@code onStop} callback run ({@link AgentLoop#withStopToken}). The step is a long one
 * that only the token ends. Each invocation is prepared untimed: the step's token armed, on a new
 * workflow for {@code cancel}. Subclasses say where the loop runs.
 */
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 4, time = 3)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public abstract class SendToStopped extends SenderAndAgent {

    private long workflowId;

    @Setup(Level.Invocation)
    public void prepare(BenchmarkParams params) {
        if (workflowId == 0 || params.getBenchmark().endsWith(".cancel")) {
            workflowId++;
            sender.start(workflowId);
            agent.run(workflowId);
        }
        // After an urgent instruction, the loop's next check hands it over, answers it and arms
        // the next step's token.
        agent.await(AgentLoop.Event.ARMED);
    }

    @Benchmark
    public void urgent() {
        sender.send(workflowId, "urgent");
        agent.await(AgentLoop.Event.STOPPED);
    }

    @Benchmark
    public void cancel() {
        sender.send(workflowId, "cancel");
        agent.await(AgentLoop.Event.STOPPED);
    }
}
