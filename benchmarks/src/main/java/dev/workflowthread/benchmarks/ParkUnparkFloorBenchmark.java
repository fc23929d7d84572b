package dev.workflowthread.benchmarks;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The floor of an in-JVM wake-up: {@link LockSupport#unpark} of a parked thread until that thread
 * runs (it bumps a counter the benchmark thread spins on), the same hand-off an in-JVM resume
 * makes to the paused agent loop.
 */
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ParkUnparkFloorBenchmark {

    private final AtomicLong requested = new AtomicLong();
    private final AtomicLong ran = new AtomicLong();
    private Thread waiter;
    private volatile boolean stopped;

    @Setup
    public void open() {
        waiter = new Thread(() -> {
            while (!stopped) {
                if (requested.get() == ran.get()) {
                    LockSupport.park(this);
                } else {
                    ran.incrementAndGet();
                }
            }
        }, "parked-waiter");
        waiter.setDaemon(true);
        waiter.start();
    }

    @TearDown
    public void close() throws InterruptedException {
        stopped = true;
        LockSupport.unpark(waiter);
        waiter.join();
    }

    @Benchmark
    public long unparkToRunning() {
        long target = requested.incrementAndGet();
        LockSupport.unpark(waiter);
        while (ran.get() < target) {
            Thread.onSpinWait();
        }
        return target;
    }
}
