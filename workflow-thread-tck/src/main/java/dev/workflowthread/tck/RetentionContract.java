package dev.workflowthread.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.workflowthread.ActionType;
import dev.workflowthread.Message;
import dev.workflowthread.MessageOptions;
import dev.workflowthread.MessageType;
import dev.workflowthread.PurgeResult;
import dev.workflowthread.SendRequest;
import dev.workflowthread.SendResult;
import dev.workflowthread.WorkflowMessages;
import dev.workflowthread.WorkflowNotFoundException;
import dev.workflowthread.WorkflowState;
import dev.workflowthread.WorkflowStatus;
import dev.workflowthread.spi.Commit;
import dev.workflowthread.spi.StateUpdate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Purging finished threads: {@link WorkflowMessages#purgeFinished(Duration, int)} and the store's
 * {@code purgeFinished} batches.
 *
 * <p>A purge deletes every old enough finished thread of the store, including those other tests
 * left in a shared table; so each test here lives in an era of its own, further in the past than
 * the one before, and every thread that other tests (or earlier tests here) left is younger than
 * its cutoff.
 */
public abstract class RetentionContract extends ContractSupport {

    /** Constructor for a store's test class that extends this part of the contract. */
    public RetentionContract() {
    }
    private static final Instant LATEST_ERA = Instant.parse("2001-01-01T00:00:00Z");
    private static final AtomicLong ERAS = new AtomicLong();
    private static final Duration WEEK = Duration.ofDays(7);

    /** Sets the clock to the start of a new era, and returns it. */
    private Instant newEra() {
        Instant start = LATEST_ERA.minus(Duration.ofDays(400 * ERAS.incrementAndGet()));
        clock.set(start);
        return start;
    }

    private static List<Long> narrate(WorkflowMessages messages, long workflowId, int count) {
        List<Long> ids = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            ids.add(messages.addMessage(workflowId, MessageType.AGENT, "step " + i,
                    MessageOptions.agent("code", null)).id());
        }
        return ids;
    }

    private long completedWorkflow(WorkflowMessages messages, int agentMessages) {
        long id = startedWorkflow(messages);
        narrate(messages, id, agentMessages);
        messages.complete(id, "done");
        return id;
    }

    private void assertPurged(WorkflowMessages messages, long workflowId, List<Long> messageIds) {
        assertThatThrownBy(() -> messages.getState(workflowId)).isInstanceOf(WorkflowNotFoundException.class);
        assertThatThrownBy(() -> messages.getMessages(workflowId)).isInstanceOf(WorkflowNotFoundException.class);
        assertThat(store.findState(workflowId)).isEmpty();
        assertThat(store.readAfter(workflowId, 0, 1_000)).isEmpty();
        for (long messageId : messageIds) {
            assertThat(store.findMessage(messageId)).as("message %d", messageId).isEmpty();
        }
    }

    @Test
    void finishedThreadsOlderThanTheAgeLoseStateAndMessagesAndThenAreAsIfNeverStarted() {
        WorkflowMessages messages = service();
        newEra();
        long completed = startedWorkflow(messages);
        List<Long> completedMessages = narrate(messages, completed, 5);
        messages.send(completed, SendRequest.of(ActionType.INSTRUCTION, "also add tests"));
        messages.complete(completed, "done");
        long failed = startedWorkflow(messages);
        List<Long> failedMessages = narrate(messages, failed, 2);
        messages.fail(failed, "the build broke");
        int completedThread = messages.getMessages(completed).size();
        int failedThread = messages.getMessages(failed).size();
        clock.advance(Duration.ofDays(30));

        PurgeResult result = messages.purgeFinished(WEEK);

        assertThat(result).isEqualTo(new PurgeResult(2, completedThread + failedThread));
        assertPurged(messages, completed, completedMessages);
        assertPurged(messages, failed, failedMessages);
        assertThatThrownBy(() -> messages.send(completed, SendRequest.of(ActionType.COMMENT, "late remark")))
                .isInstanceOf(WorkflowNotFoundException.class);
        assertThatThrownBy(() -> messages.guard(failed)).isInstanceOf(WorkflowNotFoundException.class);
        // Started again, the id gets a new thread from seq 1.
        messages.start(completed);
        Message first = messages.addMessage(completed, MessageType.AGENT, "again", MessageOptions.agent("plan", null));
        assertThat(first.seq()).isEqualTo(1);
        assertThat(messages.getState(completed).status()).isEqualTo(WorkflowStatus.RUNNING);
    }

    @Test
    void finishedThreadsYoungerThanTheAgeAreKeptWhole() {
        WorkflowMessages messages = service();
        Instant era = newEra();
        long old = completedWorkflow(messages, 3);
        clock.set(era.plus(Duration.ofDays(29)));
        long young = completedWorkflow(messages, 4);
        List<Message> youngThread = messages.getMessages(young);
        clock.set(era.plus(Duration.ofDays(30)));

        PurgeResult result = messages.purgeFinished(WEEK);

        assertThat(result.workflows()).isEqualTo(1);
        assertThatThrownBy(() -> messages.getState(old)).isInstanceOf(WorkflowNotFoundException.class);
        assertThat(messages.getMessages(young)).isEqualTo(youngThread);
        assertThat(messages.getState(young).status()).isEqualTo(WorkflowStatus.COMPLETED);
        // Exactly at the age is not older than it.
        clock.set(era.plus(Duration.ofDays(29)).plus(WEEK));
        assertThat(messages.purgeFinished(WEEK)).isEqualTo(PurgeResult.NONE);
        assertThat(messages.getMessages(young)).isEqualTo(youngThread);
    }

    @Test
    void runningAndPausedWorkflowsAreNeverPurgedHoweverOld() {
        WorkflowMessages messages = service();
        newEra();
        long running = startedWorkflow(messages);
        narrate(messages, running, 3);
        long pauseRequested = startedWorkflow(messages);
        narrate(messages, pauseRequested, 2);
        messages.pause(pauseRequested, "lunch");
        long paused = startedWorkflow(messages);
        narrate(messages, paused, 2);
        WorkflowState state = messages.getState(paused);
        store.commit(Commit.transition(paused, state.version(), StateUpdate.of(state).pausedAt(clock.instant()),
                List.of(), List.of()));
        assertThat(messages.getState(paused).status()).isEqualTo(WorkflowStatus.PAUSED);
        List<List<Message>> before = List.of(messages.getMessages(running), messages.getMessages(pauseRequested),
                messages.getMessages(paused));
        clock.advance(Duration.ofDays(3_650));

        messages.purgeFinished(Duration.ZERO, 1);

        assertThat(List.of(messages.getMessages(running), messages.getMessages(pauseRequested),
                messages.getMessages(paused))).isEqualTo(before);
        assertThat(messages.getState(running).status()).isEqualTo(WorkflowStatus.RUNNING);
        assertThat(messages.getState(pauseRequested).isPauseRequested()).isTrue();
        assertThat(messages.getState(paused).status()).isEqualTo(WorkflowStatus.PAUSED);
        // Once finished, they go like any other.
        messages.complete(running, "done");
        clock.advance(Duration.ofDays(8));
        messages.purgeFinished(WEEK);
        assertThatThrownBy(() -> messages.getState(running)).isInstanceOf(WorkflowNotFoundException.class);
        assertThat(messages.getMessages(paused)).isEqualTo(before.get(2));
    }

    @Test
    void eachStoreBatchDeletesAtMostItsMessagesOldestFirstAndTheStateWithTheLastOne() {
        WorkflowMessages messages = service();
        Instant era = newEra();
        long longThread = completedWorkflow(messages, 24); // 25 messages with the completion's
        clock.advance(Duration.ofMinutes(1));
        long shortA = completedWorkflow(messages, 3);
        long shortB = completedWorkflow(messages, 3);
        long total = messages.getMessages(longThread).size() + messages.getMessages(shortA).size()
                + messages.getMessages(shortB).size();
        Instant cutoff = era.plus(Duration.ofDays(1));

        PurgeResult first = store.purgeFinished(cutoff, 10);
        assertThat(first).isEqualTo(new PurgeResult(0, 10));
        // The oldest messages went first; the thread still has its state and its newest messages.
        assertThat(store.findState(longThread)).isPresent();
        assertThat(store.readAfter(longThread, 0, 100)).extracting(Message::seq).first().isEqualTo(11L);

        List<PurgeResult> batches = new ArrayList<>(List.of(first));
        for (PurgeResult batch = store.purgeFinished(cutoff, 10); !batch.isEmpty();
                batch = store.purgeFinished(cutoff, 10)) {
            assertThat(batch.messages()).isLessThanOrEqualTo(10);
            batches.add(batch);
            assertThat(batches).as("batches").hasSizeLessThan(10);
        }
        // Every batch but the last one is full: a batch goes on to the next workflow while it can.
        assertThat(batches).hasSize((int) ((total + 9) / 10));
        assertThat(batches.subList(0, batches.size() - 1)).extracting(PurgeResult::messages).containsOnly(10L);
        assertThat(batches.stream().mapToLong(PurgeResult::messages).sum()).isEqualTo(total);
        assertThat(batches.stream().mapToLong(PurgeResult::workflows).sum()).isEqualTo(3);
        assertThat(store.findState(longThread)).isEmpty();
        assertThat(store.findState(shortA)).isEmpty();
        assertThat(store.findState(shortB)).isEmpty();
    }

    @Test
    void thePurgeRunsBatchesUntilNothingIsLeftAndRunAgainFindsNothing() {
        WorkflowMessages messages = service();
        newEra();
        List<Long> finished = new ArrayList<>();
        long expectedMessages = 0;
        for (int i = 0; i < 6; i++) {
            long id = completedWorkflow(messages, 7 * i);
            finished.add(id);
            expectedMessages += messages.getMessages(id).size();
        }
        long running = startedWorkflow(messages);
        List<Message> runningThread = List.of(messages.addMessage(running, MessageType.AGENT, "busy",
                MessageOptions.agent("code", null)));
        clock.advance(Duration.ofDays(30));

        PurgeResult result = messages.purgeFinished(WEEK, 4);

        assertThat(result).isEqualTo(new PurgeResult(6, expectedMessages));
        for (long id : finished) {
            assertThat(store.findState(id)).isEmpty();
        }
        assertThat(messages.purgeFinished(WEEK, 4)).isEqualTo(PurgeResult.NONE);
        assertThat(messages.purgeFinished(WEEK)).isEqualTo(PurgeResult.NONE);
        assertThat(messages.getMessages(running)).isEqualTo(runningThread);
    }

    @Test
    void sendsRacingThePurgeOfTheirWorkflowLandBeforeAndGoWithItOrFailAsNotFound() throws Exception {
        WorkflowMessages messages = service();
        newEra();
        long workflow = completedWorkflow(messages, 200);
        int thread = messages.getMessages(workflow).size();
        clock.advance(Duration.ofDays(30));
        int senders = 3;
        ExecutorService pool = threads(senders + 1);
        CountDownLatch go = new CountDownLatch(1);
        List<Long> stored = new CopyOnWriteArrayList<>();
        List<Future<Throwable>> sends = new ArrayList<>();
        for (int s = 0; s < senders; s++) {
            int sender = s;
            sends.add(pool.submit(() -> {
                go.await();
                for (int i = 0; i < 100_000; i++) {
                    try {
                        SendResult result = messages.send(workflow,
                                SendRequest.of(ActionType.COMMENT, "review note " + sender + "." + i));
                        stored.add(result.messageId());
                    } catch (WorkflowNotFoundException e) {
                        return e;
                    }
                }
                return null;
            }));
        }
        Future<PurgeResult> purge = pool.submit(() -> {
            go.await();
            return messages.purgeFinished(WEEK, 7);
        });
        go.countDown();

        PurgeResult result = purge.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        for (Future<Throwable> send : sends) {
            assertThat(send.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isInstanceOf(WorkflowNotFoundException.class);
        }
        // Every send that succeeded landed in the thread before its end, and went with it: no
        // message is left without its workflow's state.
        assertThat(result.workflows()).isEqualTo(1);
        assertThat(result.messages()).isEqualTo(thread + stored.size());
        assertPurged(messages, workflow, stored);
        assertThat(messages.purgeFinished(WEEK)).isEqualTo(PurgeResult.NONE);
    }

    @Test
    void badArgumentsAreRefusedNamingTheParameter() {
        WorkflowMessages messages = service();
        assertThatThrownBy(() -> messages.purgeFinished(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("olderThan");
        assertThatThrownBy(() -> messages.purgeFinished(null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("olderThan");
        assertThatThrownBy(() -> messages.purgeFinished(WEEK, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("batchSize");
        assertThatThrownBy(() -> messages.purgeFinished(WEEK, WorkflowMessages.MAX_PURGE_BATCH_SIZE + 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("batchSize");
        assertThatThrownBy(() -> store.purgeFinished(clock.instant(), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxMessages");
    }

    @Test
    void anAgeLongerThanTheClocksPastPurgesNothing() {
        WorkflowMessages messages = service();
        newEra();
        long id = completedWorkflow(messages, 1);
        assertThat(messages.purgeFinished(Duration.ofSeconds(Long.MAX_VALUE))).isEqualTo(PurgeResult.NONE);
        assertThat(messages.getState(id).status()).isEqualTo(WorkflowStatus.COMPLETED);
    }
}
