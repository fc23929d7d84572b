package dev.workflowthread.examples;

import dev.workflowthread.AgentNarrator;
import dev.workflowthread.Checkpoint;
import dev.workflowthread.CheckpointGuard;
import dev.workflowthread.Message;
import dev.workflowthread.WorkflowCancelledException;
import dev.workflowthread.WorkflowMessages;
import dev.workflowthread.WorkflowRedirectedException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent loop the README shows, compiled and tested: the text between the README markers
 * below must stand in README.md as it is here ({@code ReadmeAgentLoopTest} checks it).
 */
final class ReadmeAgentLoop {
    private static final Logger log = LoggerFactory.getLogger(ReadmeAgentLoop.class);

    // README-BEGIN
    void runWorkflow(WorkflowMessages messages, long workflowId) throws InterruptedException {
        messages.start(workflowId);
        try (CheckpointGuard guard = messages.guard(workflowId)) {  // closed: not watched any more
            for (String agent : List.of("plan", "scaffold", "code", "test", "review", "docs")) {
                Checkpoint checkpoint = guard.check();         // blocks while paused
                for (Message instruction : checkpoint.instructions()) {
                    guard.acknowledge(instruction, "Acknowledged user context - " + instruction.content());
                }
                guard.agentStarting(agent, describe(agent));   // "Starting plan agent - ..."
                AgentNarrator narrator = guard.narrator(agent, executionId(agent));
                String summary = runAgent(agent, narrator, guard, checkpoint.messages()); // calls check() between steps
                guard.agentCompleted(agent, summary, null);    // "plan agent completed: ..."
            }
            messages.complete(workflowId, "All agents finished");
        } catch (WorkflowCancelledException e) {
            log.info("cancelled by user: {}", e.reason());
        } catch (WorkflowRedirectedException e) {
            log.info("replaced by workflow #{}", e.newWorkflowId());
        }
    }
    // README-END

    /** What the README leaves to the host: a one-line description per agent. */
    String describe(String agent) {
        return "working on the " + agent + " step";
    }

    long executionId(String agent) {
        return agent.hashCode() & 0xffff;
    }

    /** The host's agent: here two narrated steps with a checkpoint between them. */
    String runAgent(String agent, AgentNarrator narrator, CheckpointGuard guard, List<Message> context)
            throws InterruptedException {
        narrator.readingFile("src/" + agent + ".ts");
        guard.check();
        narrator.writingFile("src/" + agent + ".ts", 100 + context.size());
        return agent + " done";
    }
}
