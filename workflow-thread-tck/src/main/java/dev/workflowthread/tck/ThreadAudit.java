package dev.workflowthread.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.workflowthread.ActionStatus;
import dev.workflowthread.ActionType;
import dev.workflowthread.Message;
import dev.workflowthread.MessageType;
import dev.workflowthread.SendResult;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

/**
 * Checks of a finished thread that prove the exactly-once guarantees from what was stored alone:
 * usable after any concurrent run, in one process or many.
 */
public final class ThreadAudit {

    private ThreadAudit() {
    }

    /**
     * Asserts that the thread belongs to {@code workflowId} and its seqs run 1, 2, 3 … without a gap.
     *
     * @param workflowId the workflow the thread must belong to
     * @param thread     the thread's messages, in seq order
     */
    public static void assertGapFree(long workflowId, List<Message> thread) {
        assertThat(thread).allMatch(m -> m.workflowId() == workflowId);
        assertThat(thread).extracting(Message::seq).as("seqs of workflow %s, gap-free", workflowId)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, thread.size()).boxed().toList());
    }

    /**
     * How many agent replies each user message got ({@code metadata.inReplyTo}).
     *
     * @param thread the thread's messages
     * @return the number of agent messages naming each message id in {@code inReplyTo}, by that
     *         id; a message no reply names is not in the map
     */
    public static Map<Long, Integer> replies(List<Message> thread) {
        Map<Long, Integer> replies = new HashMap<>();
        for (Message m : thread) {
            if (m.messageType() == MessageType.AGENT && m.metadata() != null && m.metadata().get("inReplyTo") != null) {
                replies.merge(((Number) m.metadata().get("inReplyTo")).longValue(), 1, Integer::sum);
            }
        }
        return replies;
    }

    /**
     * Every control message accepted at send time was processed and applied by exactly one system
     * message, the system messages follow their control messages' seq order, pause and resume
     * alternate, and no control message ignored at send time was applied.
     *
     * @param thread the thread's messages, in seq order
     * @param sent   the results of every send made to the workflow
     * @return how many control messages were accepted
     */
    public static int assertControlsAppliedOnceInSeqOrder(List<Message> thread, Collection<SendResult> sent) {
        Map<Long, Message> byId = new HashMap<>();
        thread.forEach(m -> byId.put(m.id(), m));
        Map<Long, Integer> applications = new HashMap<>();
        long lastSourceSeq = 0;
        String lastEvent = "workflow:unpaused";
        for (Message m : thread) {
            if (m.messageType() != MessageType.SYSTEM || m.metadata() == null || m.metadata().get("sourceMessageId") == null) {
                continue;
            }
            Message source = byId.get(((Number) m.metadata().get("sourceMessageId")).longValue());
            assertThat(source).as("the source of system message %s is in the thread", m.seq()).isNotNull();
            applications.merge(source.id(), 1, Integer::sum);
            assertThat(source.seq()).as("applied in seq order").isGreaterThan(lastSourceSeq);
            lastSourceSeq = source.seq();
            String event = m.metadataString("workflowEvent");
            if ("workflow:paused".equals(event) || "workflow:unpaused".equals(event)) {
                assertThat(event).as("pause and resume alternate").isNotEqualTo(lastEvent);
                lastEvent = event;
            }
        }
        int accepted = 0;
        for (SendResult result : sent) {
            Message m = byId.get(result.messageId());
            assertThat(m).as("sent message %s is stored", result.messageId()).isNotNull();
            if (m.actionType().isControl() && !result.ignored()) {
                accepted++;
                assertThat(m.actionStatus()).as("status of control message %s", m.id()).isEqualTo(ActionStatus.PROCESSED);
                assertThat(applications.get(m.id())).as("applications of %s", m.id()).isEqualTo(1);
            } else if (result.ignored()) {
                assertThat(applications).doesNotContainKey(m.id());
            }
        }
        assertThat(applications.values()).allMatch(count -> count == 1);
        return accepted;
    }

    /**
     * Every instruction of the thread was processed, handed over exactly once (as {@code handed}
     * counts hand-overs by message id) and answered by exactly one agent reply.
     *
     * @param thread the thread's messages, in seq order
     * @param handed how many times each instruction was handed to the agent, by message id
     * @return how many instructions the thread holds
     */
    public static int assertInstructionsAnsweredOnce(List<Message> thread, Map<Long, Long> handed) {
        Map<Long, Integer> replies = replies(thread);
        int instructions = 0;
        for (Message m : thread) {
            if (m.actionType() == ActionType.INSTRUCTION && m.messageType() == MessageType.USER) {
                instructions++;
                assertThat(m.actionStatus()).as("instruction %s", m.id()).isEqualTo(ActionStatus.PROCESSED);
                assertThat(handed.get(m.id())).as("hand-overs of instruction %s", m.id()).isEqualTo(1L);
                assertThat(replies.get(m.id())).as("replies to instruction %s", m.id()).isEqualTo(1);
            }
        }
        return instructions;
    }
}
