package dev.workflowthread.inmemory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.workflowthread.ActionStatus;
import dev.workflowthread.ActionTaken;
import dev.workflowthread.ActionType;
import dev.workflowthread.Checkpoint;
import dev.workflowthread.CheckpointGuard;
import dev.workflowthread.PauseTimeoutOutcome;
import dev.workflowthread.SendRequest;
import dev.workflowthread.StorageException;
import dev.workflowthread.Subscription;
import dev.workflowthread.WorkflowCancelledException;
import dev.workflowthread.WorkflowMessages;
import dev.workflowthread.WorkflowThreadConfig;
import dev.workflowthread.WorkflowThreadObserver;
import dev.workflowthread.spi.StoreChangeListener;
import dev.workflowthread.spi.ThreadStore;
import dev.workflowthread.tck.SettableClock;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What a {@link WorkflowThreadObserver} is told, by the clock of the configuration, with no framework. */
class ObserverTest {
    private final SettableClock clock = SettableClock.atNow();
    private final Recording recorded = new Recording();
    private final ExecutorService loop = Executors.newSingleThreadExecutor();

    @AfterEach
    void stopLoop() throws InterruptedException {
        loop.shutdownNow();
        loop.awaitTermination(10, TimeUnit.SECONDS);
    }

    private WorkflowThreadConfig.Builder config() {
        return WorkflowThreadConfig.builder().clock(clock).pausedCheckInterval(Duration.ofMillis(10)).observer(recorded);
    }

    @Test
    void sendsAreToldWithTheirActionAndWhatSendingDid() {
        try (WorkflowMessages messages = WorkflowMessages.create(InMemoryThreadStore.create(), config().build())) {
            messages.start(1);
            messages.send(1, SendRequest.of(ActionType.COMMENT, "looks good"));
            messages.pause(1, "wait");
            messages.pause(1, "wait again");
            SendRequest keyed = SendRequest.of(ActionType.INSTRUCTION, "use tabs").withIdempotencyKey("k1");
            messages.send(1, keyed);
            messages.send(1, keyed); // a replay stores nothing new

            assertThat(recorded.events).containsExactly(
                    "sent 1 comment COMMENT_ADDED",
                    "sent 1 pause PAUSE_REQUESTED",
                    "sent 1 pause IGNORED",
                    "sent 1 instruction INSTRUCTION_QUEUED");
        }
    }

    @Test
    void aCheckpointTellsWhatItAppliedHowLongAfterTheSendAndHowLongThePauseLasted() throws Exception {
        try (WorkflowMessages messages = WorkflowMessages.create(InMemoryThreadStore.create(), config().build())) {
            messages.start(2);
            CheckpointGuard guard = messages.guard(2);
            messages.send(2, SendRequest.of(ActionType.COMMENT, "note"));
            messages.send(2, SendRequest.of(ActionType.INSTRUCTION, "add a test"));
            clock.advance(Duration.ofSeconds(2));
            assertThat(guard.check().messages()).hasSize(2);

            messages.pause(2, "review");
            clock.advance(Duration.ofSeconds(3));
            recorded.events.clear();
            Future<Checkpoint> paused = loop.submit(guard::check);
            await().atMost(Duration.ofSeconds(20)).until(() -> recorded.events.contains("applied 2 pause processed 3000"));
            clock.advance(Duration.ofSeconds(10));
            messages.unpause(2);
            assertThat(paused.get(20, TimeUnit.SECONDS).resumed()).isTrue();

            messages.cancel(2, "enough");
            clock.advance(Duration.ofMillis(500));
            assertThatThrownBy(guard::check).isInstanceOf(WorkflowCancelledException.class);

            // The sender tells of its resume after the commit, while the waiting loop may already
            // apply it: that one event is in no fixed place before the cancel; the rest are in order.
            assertThat(recorded.events).containsOnlyOnce("sent 2 resume RESUME_REQUESTED");
            assertThat(recorded.events.indexOf("sent 2 resume RESUME_REQUESTED"))
                    .isLessThan(recorded.events.indexOf("sent 2 cancel CANCEL_REQUESTED"));
            assertThat(recorded.events.stream().filter(e -> !e.equals("sent 2 resume RESUME_REQUESTED")))
                    .containsExactly(
                    "applied 2 pause processed 3000",
                    "applied 2 resume processed 0",
                    "pause ended 2 10000",
                    "sent 2 cancel CANCEL_REQUESTED",
                    "applied 2 cancel processed 500");
        }
        assertThat(recorded.handedOver).containsExactly("comment processed 2000", "instruction acknowledged 2000");
    }

    @Test
    void aPauseThatTimesOutIsToldWithItsOutcomeAndItsLength() throws Exception {
        try (WorkflowMessages messages = WorkflowMessages.create(InMemoryThreadStore.create(),
                config().pauseTimeout(Duration.ofMinutes(30)).pauseTimeoutOutcome(PauseTimeoutOutcome.RESUME).build())) {
            messages.start(3);
            CheckpointGuard guard = messages.guard(3);
            messages.pause(3, "lunch");
            Future<Checkpoint> paused = loop.submit(guard::check);
            await().atMost(Duration.ofSeconds(20)).until(() -> recorded.events.contains("applied 3 pause processed 0"));
            clock.advance(Duration.ofMinutes(31));
            assertThat(paused.get(20, TimeUnit.SECONDS).resumed()).isTrue();
            assertThat(recorded.events).endsWith("pause timed out 3 RESUME", "pause ended 3 1860000");
        }
    }

    @Test
    void listenerDeliveriesAreToldWithTheirLagAndFailuresWithTheEvent() {
        try (WorkflowMessages messages = WorkflowMessages.create(InMemoryThreadStore.create(), config().build())) {
            messages.start(4);
            messages.addMessage(4, dev.workflowthread.MessageType.AGENT, "before the subscription", null);
            clock.advance(Duration.ofSeconds(1));
            AtomicBoolean fail = new AtomicBoolean(true);
            try (Subscription ignored = messages.subscribe(4, 0, event -> {
                if (fail.getAndSet(false)) {
                    throw new IllegalStateException("listener broke");
                }
            })) {
                messages.addMessage(4, dev.workflowthread.MessageType.AGENT, "after", null);
                await().atMost(Duration.ofSeconds(20)).until(() -> recorded.deliveries.size() == 1);
            }
            // The replayed message is delivered (its failure told) but its lag is not a delivery lag.
            assertThat(recorded.failures).containsExactly("4 message:new listener broke");
            assertThat(recorded.deliveries).containsExactly("4 0");
        }
    }

    @Test
    void storeFailuresAreToldAndAnObserverThatThrowsBreaksNothing() {
        AtomicBoolean failing = new AtomicBoolean();
        InMemoryThreadStore real = InMemoryThreadStore.create();
        ThreadStore flaky = (ThreadStore) Proxy.newProxyInstance(ThreadStore.class.getClassLoader(),
                new Class<?>[] {ThreadStore.class}, (self, method, args) -> {
                    if (failing.get() && method.getName().equals("findState")) {
                        throw new StorageException("read state of workflow " + args[0], "database down", null);
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        WorkflowThreadObserver throwing = new WorkflowThreadObserver() {
            @Override
            public void messageSent(long workflowId, ActionType actionType, ActionTaken taken) {
                throw new IllegalStateException("observer broke");
            }
        };
        try (WorkflowMessages messages = WorkflowMessages.create(flaky,
                config().observer(WorkflowThreadObserver.all(List.of(throwing, recorded))).build())) {
            messages.start(5);
            assertThat(messages.pause(5, "still works").actionTaken()).isEqualTo(ActionTaken.PAUSE_REQUESTED);
            failing.set(true);
            assertThatThrownBy(() -> messages.getState(5)).isInstanceOf(StorageException.class);
        }
        assertThat(recorded.events).containsExactly("sent 5 pause PAUSE_REQUESTED",
                "store failed read state of workflow 5");
    }

    @Test
    void theGaugesReadTheWatchedWorkflowsAndWhetherOtherProcessesAreHeard() {
        InMemoryThreadStore real = InMemoryThreadStore.create();
        AtomicReference<StoreChangeListener> listener = new AtomicReference<>();
        ThreadStore store = (ThreadStore) Proxy.newProxyInstance(ThreadStore.class.getClassLoader(),
                new Class<?>[] {ThreadStore.class}, (self, method, args) -> {
                    if (method.getName().equals("addChangeListener")) {
                        listener.set((StoreChangeListener) args[0]);
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        try (WorkflowMessages messages = WorkflowMessages.create(store, config().build())) {
            WorkflowThreadObserver.Gauges gauges = recorded.gauges.get();
            assertThat(gauges.watchedWorkflows()).isZero();
            assertThat(gauges.hearingOtherProcesses()).isTrue();
            messages.start(6);
            messages.start(7);
            CheckpointGuard guard = messages.guard(6);
            try (Subscription ignored = messages.subscribe(7, 0, event -> { })) {
                assertThat(gauges.watchedWorkflows()).isEqualTo(2);
                listener.get().hearingLost();
                assertThat(gauges.hearingOtherProcesses()).isFalse();
                listener.get().hearingRestored();
                assertThat(gauges.hearingOtherProcesses()).isTrue();
            }
            assertThat(guard.workflowId()).isEqualTo(6);
            assertThat(gauges.watchedWorkflows()).isEqualTo(1);
            messages.close();
            assertThat(gauges.watchedWorkflows()).isZero();
        }
    }

    @Test
    void allRefusesANullListOrElement() {
        assertThatThrownBy(() -> WorkflowThreadObserver.all(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("observers must not be null");
        assertThatThrownBy(() -> WorkflowThreadObserver.all(java.util.Arrays.asList(recorded, null)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("observers must not contain null, but element 1 was null");
    }

    /** Writes down what it is told, in order; the hand-overs apart, as they come in any order. */
    private static final class Recording implements WorkflowThreadObserver {
        final List<String> events = new CopyOnWriteArrayList<>();
        final List<String> handedOver = new CopyOnWriteArrayList<>();
        final List<String> deliveries = new CopyOnWriteArrayList<>();
        final List<String> failures = new CopyOnWriteArrayList<>();
        final AtomicReference<Gauges> gauges = new AtomicReference<>();

        @Override
        public void attached(Gauges gauges) {
            this.gauges.set(gauges);
        }

        @Override
        public void messageSent(long workflowId, ActionType actionType, ActionTaken taken) {
            events.add("sent " + workflowId + " " + actionType.wireName() + " " + taken);
        }

        @Override
        public void messageApplied(long workflowId, ActionType actionType, ActionStatus outcome, Duration sinceSent) {
            String what = actionType.wireName() + " " + outcome.wireName() + " " + sinceSent.toMillis();
            if (actionType.isControl()) {
                events.add("applied " + workflowId + " " + what);
            } else {
                handedOver.add(what);
            }
        }

        @Override
        public void pauseEnded(long workflowId, Duration pausedFor) {
            events.add("pause ended " + workflowId + " " + pausedFor.toMillis());
        }

        @Override
        public void pauseTimedOut(long workflowId, PauseTimeoutOutcome outcome) {
            events.add("pause timed out " + workflowId + " " + outcome);
        }

        @Override
        public void listenerDelivered(long workflowId, Duration lag) {
            deliveries.add(workflowId + " " + lag.toMillis());
        }

        @Override
        public void listenerFailed(long workflowId, String eventName, Throwable failure) {
            failures.add(workflowId + " " + eventName + " " + failure.getMessage());
        }

        @Override
        public void storeFailed(StorageException failure) {
            events.add("store failed " + failure.operation());
        }
    }
}
