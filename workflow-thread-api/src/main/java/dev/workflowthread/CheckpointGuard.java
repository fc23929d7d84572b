package dev.workflowthread;

import java.time.Duration;
import java.util.List;
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
 * <p>Close the guard when the loop ends ({@code try (CheckpointGuard guard = messages.guard(id))}).
 * A guard is meant for one loop (one thread at a time); several guards, in one process or
 * many, may watch the same workflow: each control message is applied exactly once, in {@code seq}
 * order, by one of them.
 */
public interface CheckpointGuard extends AutoCloseable {

    /**
     * The workflow this guard watches.
     *
     * @return its id
     */
    long workflowId();

    /**
     * Applies what the person asked since the last checkpoint and hands over their words. A call
     * that looks at the store (something arrived, or the quiet path's bound passed) also ends the
     * step in progress: its {@link #stopToken()} no longer fires, and a new one is handed out. A
     * quiet call keeps the step's token, which fires for what comes next.
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
     * @param handedOver the instruction or comment, as {@link #check()} handed it over
     * @param reply      the agent's words
     * @return the agent's reply
     * @throws InvalidMessageException when {@code handedOver} is no person's message of this
     *                                 workflow, or {@code reply} is blank or too long
     */
    Message acknowledge(Message handedOver, String reply);

    /**
     * Posts "Starting {agentType} agent - {description}" and remembers the agent as the one at
     * work: the one a {@code next_agent} message waits for, and the one an urgent message
     * interrupts.
     *
     * @param agentType   the agent, for instance {@code "code"}
     * @param description what it is about to do
     * @return the comment
     * @throws InvalidMessageException when an argument is null, blank or too long
     */
    Message agentStarting(String agentType, String description);

    /**
     * Posts "{agentType} agent completed: {summary}" with optional metadata. The messages this
     * guard held for the next agent ({@link Delivery#NEXT_AGENT}) are handed over at its next
     * {@link #check()}. (The hold is this guard's: another guard of the workflow between its own
     * {@code agentStarting} and {@code agentCompleted} holds them too, one that is not hands them
     * over.)
     *
     * @param agentType the agent
     * @param summary   what it did
     * @param metadata  extra metadata for the comment, or null
     * @return the comment
     * @throws InvalidMessageException when an argument is null, blank or too long
     */
    Message agentCompleted(String agentType, String summary, Map<String, Object> metadata);

    /**
     * A narrator for one agent of this workflow.
     *
     * @param agentType        the agent's type, or null
     * @param agentExecutionId the host's id of this run of the agent, or null
     * @return the narrator
     */
    AgentNarrator narrator(String agentType, Long agentExecutionId);

    /**
     * The stop token of the step in progress: the step since the last {@link #check()}. Ask for it
     * after each {@code check()}; a token whose step ended ({@code check()} was called again) no
     * longer fires. Until it is asked for, nothing is watched for it.
     *
     * @return the token, the same object until the next {@code check()} that follows its firing
     */
    StopToken stopToken();

    /**
     * Whether a firing stop token also interrupts the thread that asked for it with
     * {@link #stopToken()} (off by default). The next {@code check()} that ends the step clears
     * the thread's interrupt status (an interrupt the host sent meanwhile with it), so a blocking
     * call the step made (a socket read, a {@code Future.get}) ends with an
     * {@code InterruptedException} and the loop goes on to apply what fired the token.
     *
     * @param interrupt true to interrupt the step's thread
     * @return this guard
     */
    CheckpointGuard interruptOnStop(boolean interrupt);

    /**
     * Asks the person a question and waits for the answer, as a pause waits: it posts an agent
     * message with {@code metadata.question = true}, {@code metadata.options} and
     * {@code metadata.deadline}, then blocks, logging a heartbeat, until a person's message answers
     * it ({@code metadata.inReplyTo} = the question's id, with {@code metadata.choice} one of the
     * options, or free text in its content), a cancel or redirect (which wins: this throws), or the
     * deadline. The first answer closes the question (the thread says who answered); the answer is
     * handed to this call once, however many guards watch the workflow; an answer after the
     * question closed is stored as ignored, saying why.
     *
     * @param question  what to ask
     * @param options   the answers to offer as choices, possibly empty for free text only
     * @param timeout   how long to wait
     * @param onTimeout what happens when nobody answers in time
     * @return the answer, or the default answer (marked timed out)
     * @throws InvalidMessageException  when the question is blank or too long, an option is blank,
     *                                  repeated or too long, or the timeout is not positive
     * @throws WorkflowStoppedException when the workflow is cancelled or redirected meanwhile, or
     *                                  cancelled by {@link QuestionTimeout#cancelWorkflow()}
     * @throws QuestionTimeoutException on the deadline with {@link QuestionTimeout#fail()}
     * @throws InterruptedException     when the thread is interrupted while it waits; the question
     *                                  is withdrawn (a later answer is stored as ignored)
     * @throws IllegalStateException    when the guard or the service is closed meanwhile (the
     *                                  question is withdrawn too)
     */
    Answer ask(String question, List<String> options, Duration timeout, QuestionTimeout onTimeout)
            throws InterruptedException;

    /**
     * Asks for a yes or no ({@code metadata.options = ["yes", "no"]}) and waits as
     * {@link #ask} does. Nobody answering in time means no.
     *
     * @param question what to approve, for instance "Run the database migration?"
     * @param timeout  how long to wait
     * @return true when the person chose (or wrote) yes
     * @throws InvalidMessageException  when the question is blank or the timeout not positive
     * @throws WorkflowStoppedException when the workflow is cancelled or redirected meanwhile
     * @throws InterruptedException     when the thread is interrupted while it waits
     */
    boolean approve(String question, Duration timeout) throws InterruptedException;

    /**
     * Lets go of the workflow: this JVM stops watching it for this guard at once (with a store
     * that polls for other processes' changes, a workflow no guard or subscription watches costs
     * nothing), and the step's stop token no longer fires. Idempotent. A later {@link #check()} or
     * {@link #ask} throws {@link IllegalStateException}. A guard that is not closed is let go of
     * when the garbage collector clears it.
     */
    @Override
    void close();
}
