package dev.workflowthread.examples.spring;

import dev.workflowthread.WorkflowFinishedException;
import dev.workflowthread.WorkflowMessages;
import dev.workflowthread.WorkflowStatus;
import dev.workflowthread.examples.agents.DemoOrchestrator;
import dev.workflowthread.examples.agents.Pace;
import dev.workflowthread.examples.agents.SimulatedAgents;
import dev.workflowthread.examples.agents.Workspace;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The orchestrator: runs the demo's simulated agents for each workflow on a thread of its own,
 * each in a fresh copy of the sample project. What a team writes is the agent loop inside
 * {@link DemoOrchestrator}: {@code guard.check()} between steps, narration through the guard.
 */
@Component
class SampleOrchestrator {
    private static final Logger LOG = LoggerFactory.getLogger(SampleOrchestrator.class);

    private final WorkflowMessages messages;
    private final SampleWorkflows workflows;
    private final Pace pace;
    private final Path workspaces;
    private final ExecutorService runs;

    /** {@code sample.agent-step}: every simulated step takes this long; unset, the demo's human pace. */
    SampleOrchestrator(WorkflowMessages messages, SampleWorkflows workflows,
                       @Value("${sample.agent-step:#{null}}") Duration step) throws IOException {
        this.messages = messages;
        this.workflows = workflows;
        this.pace = step == null ? Pace.HUMAN : Pace.uniform(step);
        this.workspaces = Files.createTempDirectory("workflow-thread-sample-");
        AtomicInteger count = new AtomicInteger();
        this.runs = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "sample-agents-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Starts the workflow's thread and its agents. */
    void launch(long workflowId, String task) {
        messages.start(workflowId);
        runs.execute(() -> run(workflowId, task));
    }

    private void run(long workflowId, String task) {
        try {
            Path workspace = Workspace.createSampleProject(workspaces.resolve("workflow-" + workflowId)).root();
            DemoOrchestrator.Outcome outcome = new DemoOrchestrator(messages, DemoOrchestrator.CheckpointObserver.NONE)
                    .run(workflowId, task, workspace, SimulatedAgents.pipeline(pace));
            LOG.info("workflow {} ended {}", workflowId, outcome.status().wireName());
            if (outcome.status() == WorkflowStatus.REDIRECTED && outcome.newWorkflowId() != null) {
                long next = outcome.newWorkflowId();
                launch(next, workflows.task(next));
            }
        } catch (InterruptedException stopping) {
            LOG.info("workflow {} stopped with the application", workflowId);
        } catch (RuntimeException e) {
            LOG.error("workflow {} could not run", workflowId, e);
            try {
                messages.fail(workflowId, "The sample could not run this workflow: " + e.getMessage());
            } catch (WorkflowFinishedException finished) {
                LOG.debug("workflow {} had finished already", workflowId);
            }
        }
    }

    /** Stops the agents before the service closes (the service is a dependency of this bean). */
    @PreDestroy
    void stop() throws InterruptedException {
        runs.shutdownNow();
        if (!runs.awaitTermination(10, TimeUnit.SECONDS)) {
            LOG.warn("some agent runs did not stop within 10 s");
        }
        Workspace.delete(workspaces);
    }
}
