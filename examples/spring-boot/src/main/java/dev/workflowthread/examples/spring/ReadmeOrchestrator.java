package dev.workflowthread.examples.spring;

import dev.workflowthread.Checkpoint;
import dev.workflowthread.CheckpointGuard;
import dev.workflowthread.Message;
import dev.workflowthread.WorkflowMessages;
import dev.workflowthread.WorkflowStoppedException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The lines a Spring Boot application writes, as the README shows them (between the markers;
 * {@code ReadmeOrchestratorTest} checks the README has them as they are here, and runs them).
 */
// README-BEGIN
@Component
class ReadmeOrchestrator {
    private static final Logger log = LoggerFactory.getLogger(ReadmeOrchestrator.class);
    private final WorkflowMessages messages;                  // the starter's bean

    ReadmeOrchestrator(WorkflowMessages messages) {
        this.messages = messages;
    }

    void run(long workflowId, List<String> steps) throws InterruptedException {
        messages.start(workflowId);
        CheckpointGuard guard = messages.guard(workflowId);
        try {
            for (String step : steps) {
                Checkpoint checkpoint = guard.check();        // blocks while paused
                for (Message instruction : checkpoint.instructions()) {
                    guard.acknowledge(instruction, "Will do: " + instruction.content());
                }
                guard.narrator("code", null).say("Working on " + step);
            }
            messages.complete(workflowId, "All steps done");
        } catch (WorkflowStoppedException stopped) {          // cancelled or redirected
            log.info("workflow {} stopped: {}", workflowId, stopped.getMessage());
        }
    }
}
// README-END
