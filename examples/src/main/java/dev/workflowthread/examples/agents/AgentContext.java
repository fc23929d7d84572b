package dev.workflowthread.examples.agents;

import dev.workflowthread.AgentNarrator;
import dev.workflowthread.Answer;
import dev.workflowthread.StopReason;
import dev.workflowthread.StopToken;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** What the orchestrator gives an {@link Agent} for one run. */
public interface AgentContext {

    /** The host's id of the workflow. */
    long workflowId();

    /** The task the workflow was started with (or redirected to). */
    String task();

    /** The folder of the project the agents work on; every agent of the workflow shares it. */
    Path workspace();

    /** Writes this agent's comments into the workflow's thread. */
    AgentNarrator narrator();

    /**
     * The comments and instructions the person gave so far, oldest first, to take into account
     * from now on.
     */
    List<String> userNotes();

    /**
     * The checkpoint between two steps: returns at once when nothing is pending, blocks while the
     * workflow is paused, answers new instructions ("Acknowledged user context - …"), and throws
     * {@link dev.workflowthread.WorkflowStoppedException} when the workflow was cancelled or
     * redirected.
     *
     * @throws InterruptedException when the server stops the run
     */
    void checkpoint() throws InterruptedException;

    /**
     * The stop token of the step in progress (since the last {@link #checkpoint()}): it fires when
     * the person sends a cancel, a redirect or an urgent message, so that a long model call or
     * build can end early and go to the checkpoint, which applies or hands over what fired it.
     */
    StopToken stopToken();

    /** What fired a stop token, in a few words for the thread: "urgent instruction", "cancel", … */
    String stopCause(StopReason reason);

    /**
     * Asks the person a question in the thread and waits for the answer (a click on one of the
     * options, or a reply in words), or for the deadline, after which {@code defaultAnswer} goes.
     *
     * @throws dev.workflowthread.WorkflowStoppedException when the workflow is cancelled or
     *                                                     redirected meanwhile
     * @throws InterruptedException                        when the server stops the run
     */
    Answer ask(String question, List<String> options, Duration timeout, String defaultAnswer)
            throws InterruptedException;
}
