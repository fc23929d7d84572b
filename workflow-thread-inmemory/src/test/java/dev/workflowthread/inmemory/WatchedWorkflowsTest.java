package dev.workflowthread.inmemory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.workflowthread.ActionType;
import dev.workflowthread.Checkpoint;
import dev.workflowthread.CheckpointGuard;
import dev.workflowthread.Message;
import dev.workflowthread.Subscription;
import dev.workflowthread.ThreadEvent;
import dev.workflowthread.SendRequest;
import dev.workflowthread.WorkflowCancelledException;
import dev.workflowthread.WorkflowMessages;
import dev.workflowthread.WorkflowThreadConfig;
import dev.workflowthread.spi.StoreChange;
import dev.workflowthread.spi.StoreChangeListener;
import dev.workflowthread.spi.ThreadStore;
import dev.workflowthread.tck.SettableClock;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * What the library asks of and tells a store that watches other processes, seen through a store
 * that hides its own commits from the service, as another process's commits are hidden: the
 * service says which workflows it watches, and a change told with an unknown earlier seq (as a
 * store that polls tells it) still reaches subscriptions that are behind; and while the store
 * cannot hear, checkpoints look at it themselves.
 */
class WatchedWorkflowsTest {
    private final InMemoryThreadStore shared = InMemoryThreadStore.create();
    private final AtomicReference<StoreChangeListener> service = new AtomicReference<>();
    /** The shared store, but its commits are never told to the service: they stand for another process's. */
    private final ThreadStore elsewhere = (ThreadStore) Proxy.newProxyInstance(ThreadStore.class.getClassLoader(),
            new Class<?>[] {ThreadStore.class}, (self, method, args) -> {
                if (method.getName().equals("addChangeListener")) {
                    service.set((StoreChangeListener) args[0]);
                    return (Subscription) () -> service.set(null);
                }
                try {
                    return method.invoke(shared, args);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
            });

    @Test
    void theServiceWatchesTheWorkflowsWithACheckpointOrASubscriptionOfTheirOwn() {
        try (WorkflowMessages messages = WorkflowMessages.create(elsewhere)) {
            messages.start(1);
            messages.start(2);
            messages.start(3);
            assertThat(service.get().watchedWorkflows()).isEmpty();

            CheckpointGuard guard = messages.guard(1);
            Subscription subscription = messages.subscribe(2, 0, event -> { });
            Subscription all = messages.subscribeAll(event -> { });
            assertThat(service.get().watchedWorkflows()).containsExactlyInAnyOrder(1L, 2L);

            subscription.close();
            all.close();
            assertThat(service.get().watchedWorkflows()).containsExactly(1L);
            assertThat(guard.workflowId()).isEqualTo(1L); // held until here
        }
    }

    @Test
    void aClosedGuardIsWatchedNoMoreAtOnceAndRefusesToCheck() throws Exception {
        try (WorkflowMessages messages = WorkflowMessages.create(elsewhere)) {
            messages.start(7);
            CheckpointGuard first = messages.guard(7);
            CheckpointGuard second = messages.guard(7);
            assertThat(service.get().watchedWorkflows()).containsExactly(7L);

            first.close();
            assertThat(service.get().watchedWorkflows()).as("the other guard still holds it").containsExactly(7L);
            second.close();
            second.close();
            assertThat(service.get().watchedWorkflows()).as("no open guard: not watched, without waiting for the GC")
                    .isEmpty();
            org.assertj.core.api.Assertions.assertThatThrownBy(first::check).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("closed");
            org.assertj.core.api.Assertions.assertThatThrownBy(first::stopToken).isInstanceOf(IllegalStateException.class);

            try (CheckpointGuard third = messages.guard(7)) {
                assertThat(service.get().watchedWorkflows()).containsExactly(7L);
                assertThat(third.check()).isNotNull();
            }
            assertThat(service.get().watchedWorkflows()).isEmpty();
        }
    }

    @Test
    void whenTheStoreClosesTheSubscriptionsStopInsteadOfRetryingTheirReads() {
        try (WorkflowMessages messages = WorkflowMessages.create(elsewhere)) {
            messages.start(4);
            messages.subscribe(4, 0, event -> { });
            assertThat(service.get().watchedWorkflows()).containsExactly(4L);
            service.get().storeClosed();
            assertThat(service.get().watchedWorkflows()).isEmpty();
        }
    }

    @Test
    void aChangeWithAnUnknownEarlierSeqReachesASubscriptionThatIsBehindAndNoOther() {
        try (WorkflowMessages writer = WorkflowMessages.create(shared);
             WorkflowMessages follower = WorkflowMessages.create(elsewhere)) {
            writer.start(5);
            writer.narrator(5, "code", null).say("one");
            List<Message> followed = new CopyOnWriteArrayList<>();
            List<Message> all = new CopyOnWriteArrayList<>();
            follower.subscribe(5, 0, event -> added(event, followed));
            follower.subscribeAll(event -> added(event, all));
            await().atMost(Duration.ofSeconds(10)).until(() -> followed.size() == 1);

            writer.narrator(5, "code", null).say("two");
            writer.narrator(5, "code", null).say("three");
            // As a store that read the state tells it: version and last seq, the earlier seq unknown.
            service.get().onChange(new StoreChange(5, 0, 3, 3, false));

            await().atMost(Duration.ofSeconds(10)).until(() -> followed.size() == 3);
            assertThat(followed).extracting(Message::content).containsExactly("one", "two", "three");
            // Told again, as a notification after the read would: nothing twice.
            service.get().onChange(new StoreChange(5, 0, 2, 3, false));
            writer.narrator(5, "code", null).say("four");
            service.get().onChange(new StoreChange(5, 0, 4, 4, false));
            await().atMost(Duration.ofSeconds(10)).until(() -> followed.size() == 4 && all.size() == 2);
            assertThat(followed).extracting(Message::seq).containsExactly(1L, 2L, 3L, 4L);
            // An all-workflows subscription starts at the first change whose earlier seq it knows
            // (seq 2 to 3), and never replays the history before it.
            assertThat(all).extracting(Message::seq).containsExactly(3L, 4L);
        }
    }

    @Test
    void aQuietCheckpointLooksAtTheStoreWhenHearingIsLostAndPollsUntilItIsBack() throws Exception {
        SettableClock clock = SettableClock.atNow();
        Duration poll = Duration.ofSeconds(5);
        try (WorkflowMessages writer = WorkflowMessages.create(shared, WorkflowThreadConfig.builder().clock(clock).build());
             WorkflowMessages agent = WorkflowMessages.create(elsewhere,
                     WorkflowThreadConfig.builder().clock(clock).pausedCheckInterval(poll).build())) {
            writer.start(7);
            CheckpointGuard guard = agent.guard(7);
            assertThat(guard.check()).isSameAs(Checkpoint.EMPTY);

            // The store says it hears every change, so a quiet checkpoint trusts it, whatever the time.
            writer.send(7, SendRequest.of(ActionType.INSTRUCTION, "use the new API"));
            clock.advance(poll.multipliedBy(10));
            assertThat(guard.check()).isSameAs(Checkpoint.EMPTY);

            // Once it says it cannot hear, the next check looks, and later ones look every poll interval.
            service.get().hearingLost();
            assertThat(guard.check().instructions()).extracting(Message::content).containsExactly("use the new API");
            writer.send(7, SendRequest.of(ActionType.INSTRUCTION, "and keep the old one"));
            assertThat(guard.check()).isSameAs(Checkpoint.EMPTY);
            clock.advance(poll);
            assertThat(guard.check().instructions()).extracting(Message::content).containsExactly("and keep the old one");

            // Hearing again: trusted again from the next look at the store on.
            service.get().hearingRestored();
            writer.cancel(7, "stop");
            clock.advance(poll);
            assertThatThrownBy(guard::check).isInstanceOf(WorkflowCancelledException.class);
            writer.start(8);
            CheckpointGuard next = agent.guard(8);
            assertThat(next.check()).isSameAs(Checkpoint.EMPTY);
            writer.pause(8, "wait");
            clock.advance(poll.multipliedBy(10));
            assertThat(next.check()).isSameAs(Checkpoint.EMPTY);
        }
    }

    private static void added(ThreadEvent event, List<Message> into) {
        if (event instanceof ThreadEvent.MessageAdded added) {
            into.add(added.message());
        }
    }
}
