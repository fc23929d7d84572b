package dev.workflowthread.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.workflowthread.ActionStatus;
import dev.workflowthread.ActionType;
import dev.workflowthread.Checkpoint;
import dev.workflowthread.CheckpointGuard;
import dev.workflowthread.Message;
import dev.workflowthread.MessageType;
import dev.workflowthread.SendRequest;
import dev.workflowthread.SendResult;
import dev.workflowthread.WorkflowCancelledException;
import dev.workflowthread.WorkflowMessages;
import dev.workflowthread.WorkflowStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * Many checkpoints on one workflow while many people post: every control message applied exactly
 * once and in {@code seq} order, every instruction handed over exactly once, nothing lost.
 */
public abstract class ConcurrencyContract extends ContractSupport {

    /** Constructor for a store's test class that extends this part of the contract. */
    public ConcurrencyContract() {
    }
    private static final int GUARDS = 8;
    private static final int SENDERS = 4;
    private static final int MESSAGES = 2_000;

    /** What the guards of one workflow saw. */
    private static final class Observed {
        final Map<Long, AtomicInteger> handed = new ConcurrentHashMap<>();
        final ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        final AtomicInteger stopped = new AtomicInteger();
    }

    /** An agent loop: check, answer instructions, do a little work, until the workflow stops. */
    private static Callable<Void> agentLoop(CheckpointGuard guard, Observed observed, CountDownLatch ready) {
        return () -> {
            ready.countDown();
            try {
                while (true) {
                    Checkpoint checkpoint = guard.check();
                    for (Message message : checkpoint.messages()) {
                        observed.handed.computeIfAbsent(message.id(), id -> new AtomicInteger()).incrementAndGet();
                        if (message.actionType() == ActionType.INSTRUCTION) {
                            guard.acknowledge(message, "Acknowledged user context - " + message.content());
                        }
                    }
                    LockSupport.parkNanos(50_000); // the agent's step
                }
            } catch (WorkflowCancelledException expected) {
                observed.stopped.incrementAndGet();
            } catch (Throwable t) {
                observed.failures.add(t);
            }
            return null;
        };
    }

    private static SendRequest randomRequest(Random random, int sender, int i) {
        int roll = random.nextInt(100);
        String text = "sender " + sender + " message " + i;
        if (roll < 25) {
            return SendRequest.of(ActionType.PAUSE, "pause: " + text);
        } else if (roll < 50) {
            return SendRequest.of(ActionType.RESUME, "resume: " + text);
        } else if (roll < 90) {
            return SendRequest.of(ActionType.INSTRUCTION, "instruction: " + text);
        }
        return SendRequest.of(ActionType.COMMENT, "comment: " + text);
    }

    @Test
    void eightGuardsAndFourSendersOnOneWorkflowApplyEachControlOnceInSeqOrderAndLoseNothing() throws Exception {
        WorkflowMessages messages = service();
        long id = startedWorkflow(messages);
        Observed observed = new Observed();
        ExecutorService pool = threads(GUARDS + SENDERS);
        CountDownLatch ready = new CountDownLatch(GUARDS);
        List<Future<Void>> loops = new ArrayList<>();
        for (int g = 0; g < GUARDS; g++) {
            loops.add(pool.submit(agentLoop(messages.guard(id), observed, ready)));
        }
        ready.await(WAIT.toSeconds(), TimeUnit.SECONDS);

        List<Future<List<SendResult>>> senders = new ArrayList<>();
        for (int s = 0; s < SENDERS; s++) {
            int sender = s;
            senders.add(pool.submit(() -> {
                Random random = new Random(1000L + sender);
                List<SendResult> results = new ArrayList<>();
                for (int i = 0; i < MESSAGES / SENDERS; i++) {
                    results.add(messages.send(id, randomRequest(random, sender, i)));
                }
                return results;
            }));
        }
        List<SendResult> sent = new ArrayList<>();
        for (Future<List<SendResult>> sender : senders) {
            sent.addAll(sender.get(WAIT.toSeconds() * 3, TimeUnit.SECONDS));
        }
        sent.add(messages.unpause(id)); // ends any pause, or is ignored
        await().atMost(WAIT.multipliedBy(3)).until(() -> messages.getPendingUserMessages(id).isEmpty());
        assertThat(messages.getState(id).status()).isEqualTo(WorkflowStatus.RUNNING);
        messages.cancel(id, "that is enough");
        for (Future<Void> loop : loops) {
            loop.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
        assertThat(observed.failures).isEmpty();
        assertThat(observed.stopped).hasValue(GUARDS);

        List<Message> thread = messages.getMessages(id);
        Map<Long, Message> byId = new HashMap<>();
        thread.forEach(m -> byId.put(m.id(), m));
        ThreadAudit.assertGapFree(id, thread);

        // Nothing lost: every send is stored once, and closed.
        assertThat(sent).extracting(SendResult::messageId).doesNotHaveDuplicates().hasSize(MESSAGES + 1);
        for (SendResult result : sent) {
            assertThat(byId).containsKey(result.messageId());
            assertThat(byId.get(result.messageId()).actionStatus().isOpen()).isFalse();
        }

        // Every instruction and comment that was accepted is handed over exactly once, and every
        // instruction answered exactly once.
        Map<Long, Integer> replies = ThreadAudit.replies(thread);
        Set<Long> words = new HashSet<>();
        for (SendResult result : sent) {
            Message m = byId.get(result.messageId());
            if (!m.actionType().isControl()) {
                words.add(m.id());
                assertThat(observed.handed.get(m.id())).as("message %s handed over", m.id()).isNotNull();
                assertThat(observed.handed.get(m.id()).get()).as("message %s handed over once", m.id()).isEqualTo(1);
                assertThat(m.actionStatus()).isEqualTo(ActionStatus.PROCESSED);
                if (m.actionType() == ActionType.INSTRUCTION) {
                    assertThat(replies.get(m.id())).as("replies to %s", m.id()).isEqualTo(1);
                }
            }
        }
        assertThat(observed.handed.keySet()).isEqualTo(words);

        // Each accepted pause or resume is applied once: one system message, in seq order, and the
        // system messages alternate paused, resumed, paused, ...
        int acceptedControls = ThreadAudit.assertControlsAppliedOnceInSeqOrder(thread, sent);
        assertThat(acceptedControls).as("the mix really paused and resumed").isGreaterThan(20);
    }

    @Test
    void guardsAndSendersOnManyWorkflowsNeverSeeEachOthersMessages() throws Exception {
        WorkflowMessages messages = service();
        int workflows = 8;
        List<Long> ids = new ArrayList<>();
        Map<Long, Observed> observed = new HashMap<>();
        ExecutorService pool = threads(workflows + SENDERS);
        CountDownLatch ready = new CountDownLatch(workflows);
        List<Future<Void>> loops = new ArrayList<>();
        for (int w = 0; w < workflows; w++) {
            long id = startedWorkflow(messages);
            ids.add(id);
            observed.put(id, new Observed());
            loops.add(pool.submit(agentLoop(messages.guard(id), observed.get(id), ready)));
        }
        ready.await(WAIT.toSeconds(), TimeUnit.SECONDS);
        List<Future<List<Map.Entry<Long, SendResult>>>> senders = new ArrayList<>();
        for (int s = 0; s < SENDERS; s++) {
            int sender = s;
            senders.add(pool.submit(() -> {
                Random random = new Random(2000L + sender);
                List<Map.Entry<Long, SendResult>> results = new ArrayList<>();
                for (int i = 0; i < 200; i++) {
                    long id = ids.get(random.nextInt(workflows));
                    results.add(Map.entry(id, messages.send(id, randomRequest(random, sender, i))));
                }
                return results;
            }));
        }
        Map<Long, Long> workflowOfMessage = new HashMap<>();
        for (Future<List<Map.Entry<Long, SendResult>>> sender : senders) {
            sender.get(WAIT.toSeconds() * 3, TimeUnit.SECONDS).forEach(e -> workflowOfMessage.put(e.getValue().messageId(), e.getKey()));
        }
        for (long id : ids) {
            messages.unpause(id);
        }
        await().atMost(WAIT.multipliedBy(3)).until(() -> ids.stream().allMatch(id -> messages.getPendingUserMessages(id).isEmpty()));
        for (long id : ids) {
            messages.cancel(id, "done");
        }
        for (Future<Void> loop : loops) {
            loop.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
        for (long id : ids) {
            assertThat(observed.get(id).failures).isEmpty();
            List<Message> thread = messages.getMessages(id);
            ThreadAudit.assertGapFree(id, thread);
            for (Message m : thread) {
                if (m.messageType() == MessageType.USER && workflowOfMessage.containsKey(m.id())) {
                    assertThat(workflowOfMessage.get(m.id())).isEqualTo(id);
                }
                Object source = m.metadata() == null ? null : m.metadata().getOrDefault("sourceMessageId", m.metadata().get("inReplyTo"));
                if (source != null) {
                    assertThat(thread).as("a reply refers to a message of its own workflow")
                            .anyMatch(other -> other.id() == ((Number) source).longValue());
                }
            }
            assertThat(observed.get(id).handed.keySet()).allMatch(messageId -> workflowOfMessage.get(messageId) == id);
        }
    }
}
