package dev.workflowthread.examples.agents;

import dev.workflowthread.AgentNarrator;
import java.nio.file.Path;
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
}
