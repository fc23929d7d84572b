package dev.workflowthread.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.workflowthread.ActionType;
import dev.workflowthread.CheckpointGuard;
import dev.workflowthread.Message;
import dev.workflowthread.SendRequest;
import dev.workflowthread.StopToken;
import dev.workflowthread.WorkflowMessages;
import dev.workflowthread.WorkflowThreadConfig;
import dev.workflowthread.spi.ThreadStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * interruptOnStop(true) interrupts the step's thread, and the step then commonly tells the thread
 * why it stops (a narrator's say, agentCompleted) before its next check() clears the interrupt.
 * Does a store call on an interrupted thread work? (A review of issue 15's steering.)
 */
class SteeringInterruptH2Test {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "file database: {0}")
    @ValueSource(booleans = {false, true})
    void aStepInterruptedByItsTokenCanStillTalkToTheStore(boolean file) throws Exception {
        ThreadStore store = file
                ? JdbcThreadStore.builder().url("jdbc:h2:file:" + dir.resolve("steering") + ";LOCK_TIMEOUT=20000").build()
                : TestDatabase.H2.store("steer_");
        ExecutorService step = Executors.newSingleThreadExecutor();
        try (store; WorkflowMessages messages = WorkflowMessages.create(store,
                WorkflowThreadConfig.builder().pausedCheckInterval(Duration.ofMillis(20)).build())) {
            long id = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE / 2);
            messages.start(id);
            CheckpointGuard guard = messages.guard(id).interruptOnStop(true);
            CountDownLatch armed = new CountDownLatch(1);
            Future<Throwable> outcome = step.submit(() -> {
                guard.check();
                guard.agentStarting("code", "writing the component");
                StopToken token = guard.stopToken();
                armed.countDown();
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                // The interrupt comes a moment before the token's reason is visible: wait for both.
                while (!(Thread.currentThread().isInterrupted() && token.isStopRequested()) && System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
                if (!token.isStopRequested() || !Thread.currentThread().isInterrupted()) {
                    return new AssertionError("the token did not interrupt the step");
                }
                try {
                    guard.narrator("code", null).say("Stopping: the person sent an urgent comment");
                    guard.agentCompleted("code", "cut short", null);
                    return null;
                } catch (Throwable e) {
                    return e;
                }
            });
            assertThat(armed.await(20, TimeUnit.SECONDS)).isTrue();
            messages.send(id, SendRequest.of(ActionType.COMMENT, "stop, the spec changed")
                    .withMetadata(Map.of(Message.DELIVERY, "interrupt")));

            Throwable failed = outcome.get(30, TimeUnit.SECONDS);
            assertThat(failed).as("a store call from the interrupted step").isNull();
            assertThat(messages.getMessages(id)).extracting(Message::content).contains("Stopping: the person sent an urgent comment");
        } finally {
            step.shutdownNow();
        }
    }
}
