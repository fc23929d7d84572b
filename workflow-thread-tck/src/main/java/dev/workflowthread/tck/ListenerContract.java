package dev.workflowthread.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.workflowthread.ActionType;
import dev.workflowthread.Checkpoint;
import dev.workflowthread.CheckpointGuard;
import dev.workflowthread.Message;
import dev.workflowthread.MessageOptions;
import dev.workflowthread.MessageType;
import dev.workflowthread.SendRequest;
import dev.workflowthread.SendResult;
import dev.workflowthread.Subscription;
import dev.workflowthread.ThreadEvent;
import dev.workflowthread.ThreadEvent.MessageAdded;
import dev.workflowthread.ThreadEvent.WorkflowCancelled;
import dev.workflowthread.ThreadEvent.WorkflowCompleted;
import dev.workflowthread.ThreadEvent.WorkflowFailed;
import dev.workflowthread.ThreadEvent.WorkflowPaused;
import dev.workflowthread.ThreadEvent.WorkflowRedirected;
import dev.workflowthread.ThreadEvent.WorkflowUnpaused;
import dev.workflowthread.ThreadListener;
import dev.workflowthread.WorkflowCancelledException;
import dev.workflowthread.WorkflowMessages;
import dev.workflowthread.WorkflowNotFoundException;
import dev.workflowthread.WorkflowRedirectedException;
import dev.workflowthread.WorkflowStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * The listener SPI: what {@link WorkflowMessages#subscribe} and {@link WorkflowMessages#subscribeAll}
 * deliver, in which order, on which threads, and what a failing or slow listener may not break.
 *
 * <p>"Each once" is checked with a sentinel: deliveries of one subscription come in {@code seq}
 * order, so once the sentinel (the newest message) arrived, a duplicate or a missing event of
 * anything written before it would already show.
 */
public abstract class ListenerContract extends ContractSupport {

    /** Constructor for a store's test class that extends this part of the contract. */
    public ListenerContract() {
    }

    /** How long a "nothing more arrives" observation lasts. */
    private static final Duration QUIET = Duration.ofMillis(300);

    // ---- history, live events, order ----

    @Test
    void subscribeFromZeroDeliversTheHistoryThenLiveEventsOfEveryMessageTypeInSeqOrderOnce() {
        WorkflowMessages messages = service();
        long workflowId = startedWorkflow(messages);
        writeOneOfEachType(messages, workflowId, "before");

        Recorder recorder = new Recorder();
        closeAfter(messages.subscribe(workflowId, 0, recorder));
        recorder.awaitCount(3);
        writeOneOfEachType(messages, workflowId, "after");
        Message sentinel = flush(messages, workflowId, recorder);

        List<Message> stored = messages.getMessages(workflowId);
        assertThat(stored).hasSize(7);
        assertThat(recorder.names()).containsOnly(MessageAdded.NAME);
        List<Message> delivered = messagesOf(recorder.events);
        assertThat(seqs(delivered)).isEqualTo(seqs(stored)).isEqualTo(LongStream.rangeClosed(1, 7).boxed().toList());
        assertThat(delivered).extracting(Message::id).isEqualTo(stored.stream().map(Message::id).toList());
        assertThat(delivered).extracting(Message::content).containsExactly(
                "before: user", "before: agent", "before: system",
                "after: user", "after: agent", "after: system", sentinel.content());
        assertThat(delivered).extracting(Message::messageType).containsExactly(
                MessageType.USER, MessageType.AGENT, MessageType.SYSTEM,
                MessageType.USER, MessageType.AGENT, MessageType.SYSTEM, MessageType.AGENT);
        assertThat(delivered).allSatisfy(m -> assertThat(m.workflowId()).isEqualTo(workflowId));
    }

    @Test
    void messageNewEventCarriesTheStoredMessage() {
        WorkflowMessages messages = service();
        long workflowId = startedWorkflow(messages);
        Recorder recorder = new Recorder();
        closeAfter(messages.subscribe(workflowId, 0, recorder));

        SendResult sent = messages.send(workflowId, new SendRequest("Use tabs, not spaces", ActionType.INSTRUCTION,
                Map.of("additionalContext", "style guide"), "alice"));
        recorder.awaitCount(1);

        MessageAdded added = (MessageAdded) recorder.events.get(0);
        Message stored = store.findMessage(sent.messageId()).orElseThrow();
        assertThat(added.message().id()).isEqualTo(sent.messageId());
        assertThat(added.seq()).isEqualTo(sent.seq()).isEqualTo(stored.seq());
        assertThat(added.workflowId()).isEqualTo(workflowId);
        assertThat(added.occurredAt()).isEqualTo(stored.createdAt());
        assertThat(added.message().content()).isEqualTo("Use tabs, not spaces");
        assertThat(added.message().actionType()).isEqualTo(ActionType.INSTRUCTION);
        assertThat(added.message().author()).isEqualTo("alice");
        assertThat(added.message().metadataString("additionalContext")).isEqualTo("style guide");
    }

    // ---- state events ----

    @Test
    void pauseAndResumeAppliedByACheckpointGiveStateEventsRightAfterTheirSystemMessages() throws Exception {
        WorkflowMessages messages = service();
        long workflowId = startedWorkflow(messages);
        Recorder recorder = new Recorder();
        closeAfter(messages.subscribe(workflowId, 0, recorder));
        CheckpointGuard guard = messages.guard(workflowId);

        messages.send(workflowId, new SendRequest("Hold on, adding a requirement", ActionType.PAUSE, null, "alice"));
        Future<Checkpoint> check = threads(1).submit(guard::check);
        WorkflowPaused paused = awaitEvent(recorder, WorkflowPaused.class);
        assertThat(check.isDone()).as("check() blocks while paused").isFalse();

        messages.send(workflowId, new SendRequest("Go on", ActionType.RESUME, null, "bob"));
        assertThat(check.get(WAIT.toMillis(), TimeUnit.MILLISECONDS).isEmpty()).isTrue();
        WorkflowUnpaused unpaused = awaitEvent(recorder, WorkflowUnpaused.class);
        flush(messages, workflowId, recorder);

        assertThat(recorder.names()).containsExactly(
                MessageAdded.NAME, MessageAdded.NAME, WorkflowPaused.NAME,
                MessageAdded.NAME, MessageAdded.NAME, WorkflowUnpaused.NAME,
                MessageAdded.NAME);
        Message pausedMessage = systemMessageRightBefore(recorder.events, paused);
        assertThat(pausedMessage.content()).isEqualTo("Workflow paused at user request");
        assertThat(paused.workflowId()).isEqualTo(workflowId);
        assertThat(paused.reason()).isEqualTo("Hold on, adding a requirement");
        assertThat(paused.author()).isEqualTo("alice");
        assertThat(paused.occurredAt()).isEqualTo(pausedMessage.createdAt());

        Message resumedMessage = systemMessageRightBefore(recorder.events, unpaused);
        assertThat(resumedMessage.content()).isEqualTo("Workflow resumed");
        assertThat(unpaused.workflowId()).isEqualTo(workflowId);
        assertThat(unpaused.author()).isEqualTo("bob");
        assertThat(seqsOf(recorder.events)).isSorted();
    }

    @Test
    void cancelAppliedByACheckpointGivesWorkflowCancelledWithThePersonsText() throws Exception {
        WorkflowMessages messages = service();
        long workflowId = startedWorkflow(messages);
        Recorder recorder = new Recorder();
        closeAfter(messages.subscribe(workflowId, 0, recorder));
        CheckpointGuard guard = messages.guard(workflowId);

        messages.send(workflowId, new SendRequest("Stop, this is the wrong repository", ActionType.CANCEL, null,
                "carol"));
        assertThatThrownBy(guard::check).isInstanceOf(WorkflowCancelledException.class);
        WorkflowCancelled cancelled = awaitEvent(recorder, WorkflowCancelled.class);
        flush(messages, workflowId, recorder);

        assertThat(recorder.names()).containsExactly(
                MessageAdded.NAME, MessageAdded.NAME, WorkflowCancelled.NAME, MessageAdded.NAME);
        Message system = systemMessageRightBefore(recorder.events, cancelled);
        assertThat(system.content()).contains("Stop, this is the wrong repository");
        assertThat(cancelled.reason()).isEqualTo("Stop, this is the wrong repository");
        assertThat(cancelled.author()).isEqualTo("carol");
        assertThat(cancelled.workflowId()).isEqualTo(workflowId);
    }

    @Test
    void redirectAppliedByACheckpointGivesWorkflowRedirectedWithTheNewWorkflowId() throws Exception {
        long replacement = newWorkflowId();
        WorkflowMessages messages = service(b -> b.redirectHandler(request -> replacement));
        long workflowId = startedWorkflow(messages);
        Recorder recorder = new Recorder();
        closeAfter(messages.subscribe(workflowId, 0, recorder));
        CheckpointGuard guard = messages.guard(workflowId);

        messages.send(workflowId, SendRequest.redirect("REDIRECT: make it a dropdown", "Build a dropdown menu")
                .withAuthor("dave"));
        assertThatThrownBy(guard::check).isInstanceOfSatisfying(WorkflowRedirectedException.class,
                e -> assertThat(e.newWorkflowId()).isEqualTo(replacement));
        WorkflowRedirected redirected = awaitEvent(recorder, WorkflowRedirected.class);
        flush(messages, workflowId, recorder);

        assertThat(recorder.names()).containsExactly(
                MessageAdded.NAME, MessageAdded.NAME, MessageAdded.NAME, WorkflowRedirected.NAME, MessageAdded.NAME);
        Message system = systemMessageRightBefore(recorder.events, redirected);
        assertThat(system.content()).isEqualTo("Original workflow cancelled, new workflow #" + replacement + " created");
        assertThat(redirected.newWorkflowId()).isEqualTo(replacement);
        assertThat(redirected.newTaskDescription()).isEqualTo("Build a dropdown menu");
        assertThat(redirected.author()).isEqualTo("dave");
        assertThat(redirected.workflowId()).isEqualTo(workflowId);
    }

    @Test
    void completeGivesWorkflowCompletedRightAfterItsSystemMessage() {
        WorkflowMessages messages = service();
        long workflowId = startedWorkflow(messages);
        Recorder recorder = new Recorder();
        closeAfter(messages.subscribe(workflowId, 0, recorder));

        messages.complete(workflowId, "All 5 sub-tasks done");
        WorkflowCompleted completed = awaitEvent(recorder, WorkflowCompleted.class);
        flush(messages, workflowId, recorder);

        assertThat(recorder.names()).containsExactly(MessageAdded.NAME, WorkflowCompleted.NAME, MessageAdded.NAME);
        Message system = systemMessageRightBefore(recorder.events, completed);
        assertThat(system.content()).contains("All 5 sub-tasks done");
        assertThat(completed.summary()).isEqualTo("All 5 sub-tasks done");
        assertThat(completed.workflowId()).isEqualTo(workflowId);
    }

    @Test
    void failGivesWorkflowFailedRightAfterItsSystemMessage() {
        WorkflowMessages messages = service();
        long workflowId = startedWorkflow(messages);
        Recorder recorder = new Recorder();
        closeAfter(messages.subscribe(workflowId, 0, recorder));

        messages.fail(workflowId, "Build verification failed twice");
        WorkflowFailed failed = awaitEvent(recorder, WorkflowFailed.class);
        flush(messages, workflowId, recorder);

        assertThat(recorder.names()).containsExactly(MessageAdded.NAME, WorkflowFailed.NAME, MessageAdded.NAME);
        Message system = systemMessageRightBefore(recorder.events, failed);
        assertThat(system.content()).contains("Build verification failed twice");
        assertThat(failed.reason()).isEqualTo("Build verification failed twice");
        assertThat(failed.workflowId()).isEqualTo(workflowId);
    }

    @Test
    void aLateSubscriberReplaysStateEventsFromTheHistory() throws Exception {
        WorkflowMessages messages = service();
        long workflowId = startedWorkflow(messages);
        CheckpointGuard guard = messages.guard(workflowId);
        messages.pause(workflowId, "wait");
        Future<Checkpoint> check = threads(1).submit(guard::check);
        await().atMost(WAIT).until(() -> messages.getState(workflowId).paused());
        messages.unpause(workflowId);
        check.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        messages.complete(workflowId, null);

        Recorder recorder = new Recorder();
        closeAfter(messages.subscribe(workflowId, 0, recorder));
        flush(messages, workflowId, recorder);

        assertThat(recorder.names()).containsExactly(
                MessageAdded.NAME, MessageAdded.NAME, WorkflowPaused.NAME,
                MessageAdded.NAME, MessageAdded.NAME, WorkflowUnpaused.NAME,
                MessageAdded.NAME, WorkflowCompleted.NAME,
                MessageAdded.NAME);
    }

    @Test
    void stateEventsCarryTheWorkflowsStateLiveAsTheyLeftItReplayedAsItIsNow() throws Exception {
        WorkflowMessages messages = service();
        long workflowId = startedWorkflow(messages);
        Recorder recorder = new Recorder();
        closeAfter(messages.subscribe(workflowId, 0, recorder));
        CheckpointGuard guard = messages.guard(workflowId);

        messages.send(workflowId, SendRequest.of(ActionType.PAUSE, "Hold on"));
        Future<Checkpoint> check = threads(1).submit(guard::check);
        WorkflowPaused paused = awaitEvent(recorder, WorkflowPaused.class);
        assertThat(paused.state().workflowId()).isEqualTo(workflowId);
        assertThat(paused.state().status()).isEqualTo(WorkflowStatus.PAUSED);
        assertThat(paused.state().paused()).isTrue();
        assertThat(paused.state().lastSeq()).isGreaterThanOrEqualTo(paused.seq());

        messages.send(workflowId, SendRequest.of(ActionType.RESUME, "Go on"));
        check.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        WorkflowUnpaused unpaused = awaitEvent(recorder, WorkflowUnpaused.class);
        assertThat(unpaused.state().paused()).isFalse();
        assertThat(unpaused.state().status()).isEqualTo(WorkflowStatus.RUNNING);
        assertThat(unpaused.state().lastSeq()).isGreaterThanOrEqualTo(unpaused.seq());

        messages.complete(workflowId, "done");
        WorkflowCompleted completed = awaitEvent(recorder, WorkflowCompleted.class);
        assertThat(completed.state()).isEqualTo(messages.getState(workflowId));
        assertThat(completed.state().status()).isEqualTo(WorkflowStatus.COMPLETED);

        Recorder late = new Recorder();
        closeAfter(messages.subscribe(workflowId, 0, late));
        WorkflowPaused replayed = awaitEvent(late, WorkflowPaused.class);
        assertThat(replayed.state()).as("the state at delivery, not at the pause").isEqualTo(messages.getState(workflowId));
        assertThat(late.events).filteredOn(e -> !(e instanceof MessageAdded))
                .allSatisfy(e -> assertThat(e).isInstanceOf(ThreadEvent.StateChanged.class));
    }

    // ---- reconnecting with a cursor ----

    @Test
    void subscribeAfterACursorDeliversExactlyTheLaterMessagesIncludingThoseWrittenWhileSubscribing()
            throws Exception {
        WorkflowMessages messages = service();
        long workflowId = startedWorkflow(messages);
        for (int i = 1; i <= 10; i++) {
            agentSays(messages, workflowId, "early " + i);
        }
        long cursor = 6;

        CountDownLatch writing = new CountDownLatch(1);
        Future<?> writer = threads(1).submit(() -> {
            for (int i = 1; i <= 300; i++) {
                agentSays(messages, workflowId, "during " + i);
                if (i == 20) {
                    writing.countDown();
                }
            }
            return null;
        });
        assertThat(writing.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        Recorder recorder = new Recorder();
        closeAfter(messages.subscribe(workflowId, cursor, recorder));
        writer.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        Message sentinel = flush(messages, workflowId, recorder);

        assertThat(seqsOf(recorder.events))
                .isEqualTo(LongStream.rangeClosed(cursor + 1, sentinel.seq()).boxed().toList());
        assertThat(messagesOf(recorder.events)).extracting(Message::id).isEqualTo(
                messages.getMessages(workflowId).stream().filter(m -> m.seq() > cursor).map(Message::id).toList());
    }

    @Test
    void reconnectingWithTheLastSeenSeqMissesNothingAndRepeatsNothing() throws Exception {
        WorkflowMessages messages = service();
        long workflowId = startedWorkflow(messages);

        // A client that records until it "disconnects", as a WebSocket bridge would.
        Object connection = new Object();
        boolean[] connected = {true};
        List<ThreadEvent> firstConnection = new ArrayList<>();
        ThreadListener client = event -> {
            synchronized (connection) {
                if (connected[0]) {
                    firstConnection.add(event);
                }
            }
        };
        Subscription first = messages.subscribe(workflowId, 0, client);

        Future<?> writer = threads(1).submit(() -> {
            for (int i = 1; i <= 400; i++) {
                agentSays(messages, workflowId, "step " + i);
            }
            return null;
        });
        await().atMost(WAIT).until(() -> {
            synchronized (connection) {
                return firstConnection.size() >= 50;
            }
        });
        long lastSeen;
        synchronized (connection) {
            connected[0] = false;
            lastSeen = firstConnection.get(firstConnection.size() - 1).seq();
        }
        first.close();

        Recorder second = new Recorder();
        closeAfter(messages.subscribe(workflowId, lastSeen, second));
        writer.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        Message sentinel = flush(messages, workflowId, second);

        List<Long> seen = new ArrayList<>();
        synchronized (connection) {
            seen.addAll(seqsOf(firstConnection));
        }
        seen.addAll(seqsOf(second.events));
        assertThat(seen).isEqualTo(LongStream.rangeClosed(1, sentinel.seq()).boxed().toList());
    }

    // ---- failing and slow listeners ----

    @Test
    void aListenerThatThrowsBreaksNeitherTheWriteNorLaterDeliveriesNorOtherSubscriptions() throws Exception {
        WorkflowMessages messages = service();
        long workflowId = startedWorkflow(messages);
        List<ThreadEvent> seenByFailing = new CopyOnWriteArrayList<>();
        ThreadListener failing = event -> {
            seenByFailing.add(event);
            if (seenByFailing.size() % 2 == 0) {
                throw new AssertionError("listener failure on " + event.name() + " (an Error)");
            }
            throw new IllegalStateException("listener failure on " + event.name());
        };
        closeAfter(messages.subscribe(workflowId, 0, failing));
        List<ThreadEvent> seenByFailingAll = new CopyOnWriteArrayList<>();
        closeAfter(messages.subscribeAll(event -> {
            seenByFailingAll.add(event);
            throw new IllegalStateException("all-workflows listener failure");
        }));
        Recorder healthy = new Recorder();
        closeAfter(messages.subscribe(workflowId, 0, healthy));

        SendResult sent = messages.send(workflowId, SendRequest.of(ActionType.COMMENT, "Prefer small commits"));
        Message added = messages.addMessage(workflowId, MessageType.AGENT, "Reading file: src/index.ts",
                MessageOptions.agent("code", null));
        CheckpointGuard guard = messages.guard(workflowId);
        assertThat(guard.check().comments()).extracting(Message::id).containsExactly(sent.messageId());
        messages.pause(workflowId, "hold");
        Future<Checkpoint> check = threads(1).submit(guard::check);
        await().atMost(WAIT).until(() -> messages.getState(workflowId).paused());
        messages.unpause(workflowId);
        check.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        Message last = agentSays(messages, workflowId, "Done");

        assertThat(sent.seq()).isEqualTo(1);
        assertThat(added.seq()).isEqualTo(2);
        await().atMost(WAIT).until(() -> containsSeq(seenByFailing, last.seq()));
        await().atMost(WAIT).until(() -> seenByFailingAll.stream()
                .anyMatch(e -> e.workflowId() == workflowId && e.seq() == last.seq()));
        await().atMost(WAIT).until(() -> containsSeq(healthy.events, last.seq()));

        List<String> expected = List.of(
                MessageAdded.NAME, MessageAdded.NAME,
                MessageAdded.NAME, MessageAdded.NAME, WorkflowPaused.NAME,
                MessageAdded.NAME, MessageAdded.NAME, WorkflowUnpaused.NAME,
                MessageAdded.NAME);
        assertThat(healthy.names()).isEqualTo(expected);
        assertThat(seenByFailing).extracting(ThreadEvent::name).isEqualTo(expected);
        assertThat(seenByFailingAll).filteredOn(e -> e.workflowId() == workflowId)
                .extracting(ThreadEvent::name).isEqualTo(expected);
        assertThat(seqsOf(seenByFailing)).isEqualTo(seqsOf(healthy.events));
        assertThat(messages.getMessages(workflowId)).hasSize(7);
    }

    @Test
    void aSlowListenerBlocksNeitherWritesNorCheckpointsNorOtherSubscriptionsAndCatchesUpInOrder()
            throws Exception {
        WorkflowMessages messages = service();
        long workflowId = startedWorkflow(messages);
        CountDownLatch insideListener = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<ThreadEvent> slowEvents = new CopyOnWriteArrayList<>();
        ThreadListener slow = event -> {
            slowEvents.add(event);
            insideListener.countDown();
            awaitLatch(release);
        };
        try {
            closeAfter(messages.subscribe(workflowId, 0, slow));
            Recorder fast = new Recorder();
            closeAfter(messages.subscribe(workflowId, 0, fast));
            Recorder fastAll = new Recorder();
            closeAfter(messages.subscribeAll(fastAll));

            agentSays(messages, workflowId, "first");
            assertThat(insideListener.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();

            ExecutorService helper = threads(1);
            // Writes and checkpoints run on a helper thread so that a blocked write fails the test
            // instead of hanging it.
            helper.submit(() -> {
                for (int i = 1; i <= 50; i++) {
                    messages.send(workflowId, SendRequest.of(ActionType.COMMENT, "remark " + i));
                    agentSays(messages, workflowId, "step " + i);
                }
                return null;
            }).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            CheckpointGuard guard = messages.guard(workflowId);
            Checkpoint handed = helper.submit(guard::check).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(handed.comments()).hasSize(50);

            messages.pause(workflowId, "hold");
            Future<Checkpoint> paused = helper.submit(guard::check);
            await().atMost(WAIT).until(() -> messages.getState(workflowId).paused());
            messages.unpause(workflowId);
            paused.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            Message last = agentSays(messages, workflowId, "last");

            await().atMost(WAIT).until(() -> containsSeq(fast.events, last.seq()));
            await().atMost(WAIT).until(() -> containsSeq(fastAll.of(workflowId), last.seq()));
            assertThat(slowEvents).as("the slow listener is still in its first call").hasSize(1);

            release.countDown();
            await().atMost(WAIT).until(() -> containsSeq(slowEvents, last.seq()));
            assertThat(slowEvents).extracting(ThreadEvent::name).isEqualTo(fast.names());
            assertThat(seqsOf(slowEvents)).isEqualTo(seqsOf(fast.events));
            assertThat(seqs(messagesOf(fast.events)))
                    .isEqualTo(LongStream.rangeClosed(1, last.seq()).boxed().toList());
        } finally {
            release.countDown();
        }
    }

    // ---- closing ----

    @Test
    void closingASubscriptionStopsDeliveries() {
        WorkflowMessages messages = service();
        long workflowId = startedWorkflow(messages);
        Recorder closed = new Recorder();
        Subscription subscription = messages.subscribe(workflowId, 0, closed);
        Recorder closedAll = new Recorder();
        Subscription all = messages.subscribeAll(closedAll);
        Recorder open = new Recorder();
        closeAfter(messages.subscribe(workflowId, 0, open));

        agentSays(messages, workflowId, "one");
        closed.awaitCount(1);
        await().atMost(WAIT).until(() -> closedAll.of(workflowId).size() == 1);
        subscription.close();
        subscription.close();
        all.close();

        agentSays(messages, workflowId, "two");
        messages.send(workflowId, SendRequest.of(ActionType.COMMENT, "three"));
        messages.complete(workflowId, null);
        flush(messages, workflowId, open);

        await().during(QUIET).atMost(WAIT)
                .until(() -> closed.events.size() == 1 && closedAll.of(workflowId).size() == 1);
        assertThat(messagesOf(closed.events)).extracting(Message::content).containsExactly("one");
    }

    @Test
    void closingASubscriptionDuringADeliveryLetsThatEventFinishAndDeliversNoMore() {
        WorkflowMessages messages = service();
        long workflowId = startedWorkflow(messages);
        CountDownLatch insideListener = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<ThreadEvent> events = new CopyOnWriteArrayList<>();
        AtomicInteger finished = new AtomicInteger();
        Subscription subscription = messages.subscribe(workflowId, 0, event -> {
            events.add(event);
            insideListener.countDown();
            awaitLatch(release);
            finished.incrementAndGet();
        });
        try {
            agentSays(messages, workflowId, "one");
            assertThat(awaitLatch(insideListener)).isTrue();
            for (int i = 0; i < 5; i++) {
                agentSays(messages, workflowId, "more " + i);
            }
            subscription.close();
            release.countDown();

            await().atMost(WAIT).until(() -> finished.get() == 1);
            await().during(QUIET).atMost(WAIT).until(() -> events.size() == 1);
        } finally {
            release.countDown();
        }
    }

    // ---- all workflows, isolation ----

    @Test
    void subscribeAllDeliversChangesOfEveryWorkflowAfterSubscribingInSeqOrderPerWorkflow() throws Exception {
        WorkflowMessages messages = service();
        long a = startedWorkflow(messages);
        long b = startedWorkflow(messages);
        for (int i = 1; i <= 3; i++) {
            agentSays(messages, a, "a before " + i);
        }

        Recorder recorder = new Recorder();
        closeAfter(messages.subscribeAll(recorder));
        long c = startedWorkflow(messages);
        List<Long> workflows = List.of(a, b, c);
        ExecutorService writers = threads(3);
        List<Future<?>> futures = new ArrayList<>();
        for (long workflowId : workflows) {
            futures.add(writers.submit(() -> {
                for (int i = 1; i <= 100; i++) {
                    agentSays(messages, workflowId, "step " + i);
                    if (i % 25 == 0) {
                        messages.send(workflowId, SendRequest.of(ActionType.COMMENT, "remark " + i));
                    }
                }
                return null;
            }));
        }
        for (Future<?> future : futures) {
            future.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        }
        messages.complete(b, "b is done");
        List<Message> sentinels = new ArrayList<>();
        for (long workflowId : workflows) {
            sentinels.add(agentSays(messages, workflowId, "sentinel"));
        }
        for (Message sentinel : sentinels) {
            await().atMost(WAIT).until(() -> recorder.events.stream()
                    .anyMatch(e -> e instanceof MessageAdded m && m.message().id() == sentinel.id()));
        }

        for (long workflowId : workflows) {
            long firstSeq = workflowId == a ? 4 : 1;
            List<Long> expected = messages.getMessages(workflowId).stream()
                    .map(Message::seq).filter(seq -> seq >= firstSeq).toList();
            assertThat(seqs(messagesOf(recorder.of(workflowId))))
                    .as("message:new of workflow %d", workflowId).isEqualTo(expected);
        }
        assertThat(messagesOf(recorder.of(a))).extracting(Message::content).doesNotContain(
                "a before 1", "a before 2", "a before 3");
        assertThat(recorder.of(b)).filteredOn(e -> e instanceof WorkflowCompleted).hasSize(1);
    }

    @Test
    void aSubscriptionToOneWorkflowNeverReceivesAnEventOfAnother() throws Exception {
        WorkflowMessages messages = service();
        long a = startedWorkflow(messages);
        long b = startedWorkflow(messages);
        agentSays(messages, b, "b history");
        Recorder recorder = new Recorder();
        closeAfter(messages.subscribe(a, 0, recorder));

        for (int i = 1; i <= 20; i++) {
            agentSays(messages, b, "b " + i);
            messages.send(b, SendRequest.of(ActionType.COMMENT, "b remark " + i));
            if (i % 5 == 0) {
                agentSays(messages, a, "a " + i);
            }
        }
        CheckpointGuard guardOfB = messages.guard(b);
        messages.pause(b, "pause b");
        Future<Checkpoint> pausedB = threads(1).submit(guardOfB::check);
        await().atMost(WAIT).until(() -> messages.getState(b).paused());
        messages.cancel(b, "cancel b");
        assertThatThrownBy(() -> pausedB.get(WAIT.toMillis(), TimeUnit.MILLISECONDS))
                .hasCauseInstanceOf(WorkflowCancelledException.class);
        flush(messages, a, recorder);

        assertThat(recorder.events).allSatisfy(e -> assertThat(e.workflowId()).isEqualTo(a));
        assertThat(messagesOf(recorder.events)).allSatisfy(m -> assertThat(m.workflowId()).isEqualTo(a));
        assertThat(recorder.names()).containsOnly(MessageAdded.NAME);
        assertThat(messagesOf(recorder.events)).extracting(Message::id).isEqualTo(
                messages.getMessages(a).stream().map(Message::id).toList());
    }

    @Test
    void subscribingToAWorkflowWithoutAThreadIsRefused() {
        WorkflowMessages messages = service();
        assertThatThrownBy(() -> messages.subscribe(newWorkflowId(), 0, new Recorder()))
                .isInstanceOf(WorkflowNotFoundException.class);
    }

    // ---- threads ----

    @Test
    void listenersRunOnTheConfiguredListenerExecutorNeverOnTheWritingThread() {
        AtomicInteger count = new AtomicInteger();
        ThreadFactory named = runnable -> {
            Thread thread = new Thread(runnable, "host-listener-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
        ExecutorService hostPool = Executors.newFixedThreadPool(2, named);
        closeAfter(hostPool::shutdownNow);
        WorkflowMessages messages = service(b -> b.listenerExecutor(hostPool));
        long workflowId = startedWorkflow(messages);

        Set<String> threadNames = java.util.concurrent.ConcurrentHashMap.newKeySet();
        Recorder one = new Recorder();
        Recorder all = new Recorder();
        closeAfter(messages.subscribe(workflowId, 0, event -> {
            threadNames.add(Thread.currentThread().getName());
            one.onEvent(event);
        }));
        closeAfter(messages.subscribeAll(event -> {
            threadNames.add(Thread.currentThread().getName());
            all.onEvent(event);
        }));

        agentSays(messages, workflowId, "one");
        messages.send(workflowId, SendRequest.of(ActionType.COMMENT, "two"));
        messages.complete(workflowId, null);
        one.awaitCount(4);
        all.awaitCount(4);

        assertThat(threadNames).isNotEmpty()
                .allSatisfy(name -> assertThat(name).startsWith("host-listener-"))
                .doesNotContain(Thread.currentThread().getName());
    }

    @Test
    void withoutAConfiguredExecutorListenersStillNeverRunOnTheWritingThread() {
        WorkflowMessages messages = service();
        long workflowId = startedWorkflow(messages);
        String writer = Thread.currentThread().getName();
        List<String> threadNames = new CopyOnWriteArrayList<>();
        Recorder recorder = new Recorder();
        closeAfter(messages.subscribe(workflowId, 0, event -> {
            threadNames.add(Thread.currentThread().getName());
            recorder.onEvent(event);
        }));
        for (int i = 0; i < 20; i++) {
            agentSays(messages, workflowId, "step " + i);
        }
        recorder.awaitCount(20);
        assertThat(threadNames).doesNotContain(writer);
    }

    // ---- after commit ----

    @Test
    void eventsArePublishedOnlyAfterTheWriteCommitted() throws Exception {
        WorkflowMessages messages = service();
        long workflowId = startedWorkflow(messages);
        List<String> problems = new CopyOnWriteArrayList<>();
        Recorder seen = new Recorder();
        ThreadListener checking = event -> {
            if (event.workflowId() != workflowId) {
                return; // subscribeAll: another workflow of a shared store
            }
            try {
                if (event instanceof MessageAdded added) {
                    Message message = added.message();
                    if (store.findMessage(message.id()).isEmpty()) {
                        problems.add("store.findMessage misses seq " + message.seq());
                    }
                    if (messages.getMessages(workflowId).stream().noneMatch(m -> m.id() == message.id())) {
                        problems.add("getMessages misses seq " + message.seq());
                    }
                    if (messages.getState(workflowId).lastSeq() < message.seq()) {
                        problems.add("state.lastSeq is behind seq " + message.seq());
                    }
                } else if (event instanceof WorkflowPaused && !messages.getState(workflowId).paused()) {
                    problems.add("workflow:paused delivered while the state is not paused");
                } else if (event instanceof WorkflowCancelled
                        && messages.getState(workflowId).status() != WorkflowStatus.CANCELLED) {
                    problems.add("workflow:cancelled delivered while the state is not cancelled");
                }
            } catch (RuntimeException e) {
                problems.add("reading in the listener failed: " + e);
            }
            seen.onEvent(event);
        };
        closeAfter(messages.subscribe(workflowId, 0, checking));
        closeAfter(messages.subscribeAll(checking));

        messages.send(workflowId, SendRequest.of(ActionType.COMMENT, "a remark"));
        agentSays(messages, workflowId, "Reading file: package.json");
        messages.addMessage(workflowId, MessageType.SYSTEM, "Orchestrator note", null);
        CheckpointGuard guard = messages.guard(workflowId);
        messages.pause(workflowId, "hold");
        Future<Checkpoint> check = threads(1).submit(guard::check);
        await().atMost(WAIT).until(() -> seen.events.stream().filter(e -> e instanceof WorkflowPaused).count() == 2);
        messages.cancel(workflowId, "stop");
        assertThatThrownBy(() -> check.get(WAIT.toMillis(), TimeUnit.MILLISECONDS))
                .hasCauseInstanceOf(WorkflowCancelledException.class);
        await().atMost(WAIT).until(() -> seen.events.stream().filter(e -> e instanceof WorkflowCancelled).count() == 2);

        assertThat(problems).isEmpty();
        assertThat(seqs(messagesOf(seen.events)).stream().distinct().count())
                .isEqualTo(messages.getMessages(workflowId).size());
    }

    // ---- many writers ----

    @Test
    void manyConcurrentWritersEveryMessageDeliveredExactlyOnceInSeqOrder() throws Exception {
        int writers = 8;
        int perWriter = 200;
        WorkflowMessages messages = service();
        long workflowId = startedWorkflow(messages);
        Recorder recorder = new Recorder();
        closeAfter(messages.subscribe(workflowId, 0, recorder));

        ExecutorService pool = threads(writers);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int writer = w;
            futures.add(pool.submit(() -> {
                awaitLatch(go);
                for (int i = 0; i < perWriter; i++) {
                    messages.addMessage(workflowId, MessageType.AGENT, "writer " + writer + " step " + i,
                            MessageOptions.agent("code", null));
                }
                return null;
            }));
        }
        go.countDown();
        for (Future<?> future : futures) {
            future.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        }
        Message sentinel = flush(messages, workflowId, recorder);

        int total = writers * perWriter;
        List<Message> delivered = messagesOf(recorder.events);
        assertThat(delivered).hasSize(total + 1);
        assertThat(seqs(delivered)).isEqualTo(LongStream.rangeClosed(1, total + 1).boxed().toList());
        assertThat(delivered.stream().map(Message::id).collect(Collectors.toSet())).hasSize(total + 1);
        assertThat(delivered.get(total).id()).isEqualTo(sentinel.id());
        Set<String> expectedContents = new HashSet<>();
        for (int w = 0; w < writers; w++) {
            for (int i = 0; i < perWriter; i++) {
                expectedContents.add("writer " + w + " step " + i);
            }
        }
        assertThat(delivered.subList(0, total)).extracting(Message::content)
                .containsExactlyInAnyOrderElementsOf(expectedContents);
        for (int w = 0; w < writers; w++) {
            String prefix = "writer " + w + " step ";
            assertThat(delivered.stream().filter(m -> m.content().startsWith(prefix))
                    .map(m -> Integer.parseInt(m.content().substring(prefix.length()))).toList())
                    .as("writer %d's messages in the order it wrote them", w)
                    .isEqualTo(java.util.stream.IntStream.range(0, perWriter).boxed().toList());
        }
    }

    // ---- helpers ----

    private static void writeOneOfEachType(WorkflowMessages messages, long workflowId, String label) {
        messages.send(workflowId, SendRequest.of(ActionType.COMMENT, label + ": user"));
        messages.narrator(workflowId, "plan", null).say(label + ": agent");
        messages.addMessage(workflowId, MessageType.SYSTEM, label + ": system", null);
    }

    private static Message agentSays(WorkflowMessages messages, long workflowId, String content) {
        return messages.addMessage(workflowId, MessageType.AGENT, content, MessageOptions.agent("code", null));
    }

    /**
     * Writes a sentinel agent comment and waits until the recorder got it: everything written before
     * was then delivered, in order, since one subscription delivers in {@code seq} order.
     */
    private static Message flush(WorkflowMessages messages, long workflowId, Recorder recorder) {
        Message sentinel = agentSays(messages, workflowId, "sentinel");
        await().atMost(WAIT).until(() -> recorder.events.stream()
                .anyMatch(e -> e instanceof MessageAdded added && added.message().id() == sentinel.id()));
        return sentinel;
    }

    private static <T extends ThreadEvent> T awaitEvent(Recorder recorder, Class<T> type) {
        await().atMost(WAIT).until(() -> recorder.events.stream().anyMatch(type::isInstance));
        return recorder.events.stream().filter(type::isInstance).map(type::cast).findFirst().orElseThrow();
    }

    /** The system message whose {@code message:new} comes right before {@code stateEvent}, with the same seq. */
    private static Message systemMessageRightBefore(List<ThreadEvent> events, ThreadEvent stateEvent) {
        int index = events.indexOf(stateEvent);
        assertThat(index).as("%s is preceded by its message:new", stateEvent.name()).isPositive();
        ThreadEvent before = events.get(index - 1);
        assertThat(before).isInstanceOf(MessageAdded.class);
        Message message = ((MessageAdded) before).message();
        assertThat(message.messageType()).isEqualTo(MessageType.SYSTEM);
        assertThat(stateEvent.seq()).isEqualTo(message.seq());
        return message;
    }

    private static List<Message> messagesOf(List<ThreadEvent> events) {
        return events.stream().filter(e -> e instanceof MessageAdded)
                .map(e -> ((MessageAdded) e).message()).toList();
    }

    private static List<Long> seqs(List<Message> messages) {
        return messages.stream().map(Message::seq).toList();
    }

    private static List<Long> seqsOf(List<ThreadEvent> events) {
        return events.stream().map(ThreadEvent::seq).toList();
    }

    private static boolean containsSeq(List<ThreadEvent> events, long seq) {
        return events.stream().anyMatch(e -> e.seq() == seq);
    }

    /** Waits for the latch within {@link #WAIT}; true when it opened. */
    private static boolean awaitLatch(CountDownLatch latch) {
        try {
            return latch.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
