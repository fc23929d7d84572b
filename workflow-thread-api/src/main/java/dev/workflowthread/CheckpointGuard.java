package dev.workflowthread;

import java.util.Map;

/**
 * What an agent loop calls between steps, one per loop. Get one from
 * {@link WorkflowMessages#guard(long)}.
 *
 * <pre>{@code
 * for (String agent : List.of("plan", "code", "test")) {
 *     Checkpoint checkpoint = guard.check();          // blocks while paused; throws on cancel/redirect
 *     for (Message instruction : checkpoint.instructions()) {
 *         guard.acknowledge(instruction, "Acknowledged user context - " + instruction.content());
 *     }
 *     guard.agentStarting(agent, "working on the task");
 *     runAgent(agent, checkpoint.messages());
 *     guard.agentCompleted(agent, "done", null);
 * }
 * }</pre>
 *
 * <p>A guard is meant for one loop (one thread at a time); several guards, in one process or
 * many, may watch the same workflow: each control message is applied exactly once, in {@code seq}
 * order, by one of them.
 */
public interface CheckpointGuard {

    long workflowId();

    /**
     * Applies what the person asked since the last checkpoint and hands over their words.
     *
     * <ul>
     *   <li>Nothing pending: returns {@link Checkpoint#EMPTY} from memory, without a store round
     *       trip, as long as this JVM heard of no change of the workflow (and, with a store that
     *       does not tell about other processes' changes, for at most the poll interval).</li>
     *   <li>Pause: the workflow becomes paused (system message "Workflow paused at user request",
     *       event {@code workflow:paused}) and this call blocks until a resume (woken at once in this
     *       JVM), a cancel or redirect, or the pause timeout; it logs a heartbeat while it waits.</li>
     *   <li>Resume: running again, system message "Workflow resumed", event {@code workflow:unpaused}.</li>
     *   <li>Cancel: throws {@link WorkflowCancelledException}; a cancel wins over everything else
     *       pending, which becomes ignored.</li>
     *   <li>Redirect: the host's {@link RedirectHandler} creates the new workflow, then this throws
     *       {@link WorkflowRedirectedException}.</li>
     * </ul>
     * Every later call on a finished workflow throws again: a stop cannot be overlooked.
     *
     * @return the comments and instructions handed over, in {@code seq} order
     * @throws WorkflowStoppedException when the workflow must not go on
     * @throws InterruptedException     when the thread is interrupted while paused; the workflow
     *                                  stays paused
     */
    Checkpoint check() throws InterruptedException;

    /**
     * Answers an instruction (or comment) handed over by {@link #check()}: appends an agent message
     * replying to it ({@code metadata.inReplyTo} = its id) and marks it processed.
     *
     * @return the agent's reply
     */
    Message acknowledge(Message handedOver, String reply);

    /** Posts the plan's "Starting {agentType} agent - {description}" comment. */
    Message agentStarting(String agentType, String description);

    /** Posts the plan's "{agentType} agent completed: {summary}" comment with optional metadata. */
    Message agentCompleted(String agentType, String summary, Map<String, Object> metadata);

    /** A narrator for one agent of this workflow. */
    AgentNarrator narrator(String agentType, Long agentExecutionId);
}
