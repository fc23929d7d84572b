package dev.workflowthread.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.workflowthread.ActionType;
import dev.workflowthread.Checkpoint;
import dev.workflowthread.CheckpointGuard;
import dev.workflowthread.OutcomeUnknownException;
import dev.workflowthread.SendRequest;
import dev.workflowthread.StorageException;
import dev.workflowthread.Subscription;
import dev.workflowthread.WorkflowCancelledException;
import dev.workflowthread.WorkflowMessages;
import dev.workflowthread.WorkflowThreadConfig;
import dev.workflowthread.inmemory.InMemoryThreadStore;
import dev.workflowthread.tck.SettableClock;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The meters after a flow of sends, checkpoints, a pause, listener deliveries and store failures. */
class MicrometerObserverTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final SettableClock clock = SettableClock.atNow();
    private final ExecutorService loop = Executors.newSingleThreadExecutor();

    @AfterEach
    void stopLoop() throws InterruptedException {
        loop.shutdownNow();
        loop.awaitTermination(10, TimeUnit.SECONDS);
    }

    private double counter(String name, String... tags) {
        var counter = registry.find(name).tags(tags).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void aFlowLeavesTheExpectedCounts() throws Exception {
        MicrometerObserver meters = MicrometerObserver.of(registry, Tags.of("service", "test"));
        try (WorkflowMessages messages = WorkflowMessages.create(InMemoryThreadStore.create(),
                WorkflowThreadConfig.builder().clock(clock).pausedCheckInterval(Duration.ofMillis(10)).observer(meters).build())) {
            messages.start(1);
            CheckpointGuard guard = messages.guard(1);
            assertThat(registry.get(MicrometerObserver.WATCHED_WORKFLOWS).tag("service", "test").gauge().value())
                    .isEqualTo(1);
            assertThat(registry.get(MicrometerObserver.HEARING_OTHER_PROCESSES).gauge().value()).isEqualTo(1);
            try (Subscription ignored = messages.subscribe(1, 0, event -> {
                if (event.name().equals("workflow:paused")) {
                    throw new IllegalStateException("listener broke");
                }
            })) {
                messages.send(1, SendRequest.of(ActionType.INSTRUCTION, "add a test"));
                clock.advance(Duration.ofSeconds(4));
                assertThat(guard.check().messages()).hasSize(1);

                messages.pause(1, "review");
                messages.pause(1, "again");
                Future<Checkpoint> paused = loop.submit(guard::check);
                await().atMost(Duration.ofSeconds(20)).until(() -> counter(MicrometerObserver.MESSAGES_APPLIED,
                        "action", "pause", "outcome", "processed") == 1);
                clock.advance(Duration.ofSeconds(7));
                messages.unpause(1);
                assertThat(paused.get(20, TimeUnit.SECONDS).resumed()).isTrue();
                messages.cancel(1, "done");
                assertThatThrownBy(guard::check).isInstanceOf(WorkflowCancelledException.class);
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> registry.get(MicrometerObserver.LISTENER_LAG).timer().count() >= 8);
            }
        }
        assertThat(counter(MicrometerObserver.MESSAGES_SENT, "action", "instruction", "outcome", "instruction_queued"))
                .isEqualTo(1);
        assertThat(counter(MicrometerObserver.MESSAGES_SENT, "action", "pause", "outcome", "pause_requested")).isEqualTo(1);
        assertThat(counter(MicrometerObserver.MESSAGES_SENT, "action", "pause", "outcome", "ignored")).isEqualTo(1);
        assertThat(counter(MicrometerObserver.MESSAGES_SENT, "action", "resume", "outcome", "resume_requested")).isEqualTo(1);
        assertThat(counter(MicrometerObserver.MESSAGES_SENT, "action", "cancel", "outcome", "cancel_requested")).isEqualTo(1);
        assertThat(counter(MicrometerObserver.MESSAGES_APPLIED, "action", "instruction", "outcome", "acknowledged"))
                .isEqualTo(1);
        assertThat(counter(MicrometerObserver.MESSAGES_APPLIED, "action", "resume", "outcome", "processed")).isEqualTo(1);
        assertThat(counter(MicrometerObserver.MESSAGES_APPLIED, "action", "cancel", "outcome", "processed")).isEqualTo(1);
        var instructionLatency = registry.get(MicrometerObserver.CHECKPOINT_LATENCY).tag("action", "instruction").timer();
        assertThat(instructionLatency.count()).isEqualTo(1);
        assertThat(instructionLatency.totalTime(TimeUnit.SECONDS)).isEqualTo(4);
        var pauses = registry.get(MicrometerObserver.PAUSE_DURATION).timer();
        assertThat(pauses.count()).isEqualTo(1);
        assertThat(pauses.totalTime(TimeUnit.SECONDS)).isEqualTo(7);
        assertThat(counter(MicrometerObserver.LISTENER_FAILURES, "event", "workflow:paused")).isEqualTo(1);
        assertThat(registry.get(MicrometerObserver.WATCHED_WORKFLOWS).gauge().value()).isZero();
        assertThat(registry.get(MicrometerObserver.MESSAGES_SENT).meters())
                .allSatisfy(meter -> assertThat(meter.getId().getTag("service")).isEqualTo("test"));
    }

    @Test
    void storeFailuresAreCountedByKindAndRetriesApart() {
        MicrometerObserver meters = MicrometerObserver.of(registry);
        meters.storeFailed(new StorageException("commit to workflow 1", "down", null));
        meters.storeFailed(new OutcomeUnknownException("commit to workflow 1", "connection lost", null));
        meters.storeFailed(new StorageException("read state of workflow 1", "down", null));
        meters.storeRetried("commit to workflow 1", new IllegalStateException("deadlock"));
        meters.pauseTimedOut(1, dev.workflowthread.PauseTimeoutOutcome.FAIL);
        assertThat(counter(MicrometerObserver.STORE_FAILURES, "kind", "failed")).isEqualTo(2);
        assertThat(counter(MicrometerObserver.STORE_FAILURES, "kind", "outcome_unknown")).isEqualTo(1);
        assertThat(counter(MicrometerObserver.STORE_RETRIES)).isEqualTo(1);
        assertThat(counter(MicrometerObserver.PAUSE_TIMEOUTS, "outcome", "fail")).isEqualTo(1);
    }

    @Test
    void aNullRegistryOrTagsIsRefused() {
        assertThatThrownBy(() -> MicrometerObserver.of(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("registry");
        assertThatThrownBy(() -> MicrometerObserver.of(registry, null)).isInstanceOf(NullPointerException.class)
                .hasMessage("tags");
    }
}
