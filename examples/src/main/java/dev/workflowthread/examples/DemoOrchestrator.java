package dev.workflowthread.examples;

import dev.workflowthread.AgentNarrator;
import dev.workflowthread.Checkpoint;
import dev.workflowthread.CheckpointGuard;
import dev.workflowthread.Message;
import dev.workflowthread.WorkflowCancelledException;
import dev.workflowthread.WorkflowMessages;
import dev.workflowthread.WorkflowRedirectedException;
import dev.workflowthread.WorkflowStatus;
import dev.workflowthread.WorkflowStoppedException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A host's orchestrator, reduced to what the library touches: it runs the six agents one after
 * the other, lets each narrate what it does, and calls {@link CheckpointGuard#check()} between
 * every two steps, so the person watching the thread can pause, add context, resume, cancel or
 * redirect the workflow while it runs.
 */
final class DemoOrchestrator {

    /** What happens between two steps besides the checkpoint: the simulated work's latency. */
    @FunctionalInterface
    interface Pacing {
        /** Called right after an agent narrated a step, before the checkpoint that follows it. */
        void afterStep(Message narrated, long latencyMillis) throws InterruptedException;

        /** Just the simulated latency. */
        Pacing LATENCY_ONLY = (narrated, latencyMillis) -> {
            if (latencyMillis > 0) {
                Thread.sleep(latencyMillis);
            }
        };
    }

    /**
     * How a workflow's run ended.
     *
     * @param workflowId    the workflow that ran
     * @param status        completed, cancelled or redirected
     * @param newWorkflowId the workflow that replaces it after a redirect, else null
     * @param detail        the summary, the cancel reason or the new task
     */
    record Outcome(long workflowId, WorkflowStatus status, Long newWorkflowId, String detail) {
    }

    private final WorkflowMessages messages;
    private final Pacing pacing;

    DemoOrchestrator(WorkflowMessages messages, Pacing pacing) {
        this.messages = messages;
        this.pacing = pacing;
    }

    /** Runs the pipeline for one workflow until it completes or the person stops it. */
    Outcome run(long workflowId, String task) throws InterruptedException {
        messages.start(workflowId);
        CheckpointGuard guard = messages.guard(workflowId);
        Context context = new Context();
        long executionId = workflowId * 100;
        try {
            for (SimulatedAgents.Agent agent : SimulatedAgents.pipeline(task)) {
                checkpoint(guard, context);
                guard.agentStarting(agent.type(), agent.description());
                AgentNarrator narrator = guard.narrator(agent.type(), ++executionId);
                for (SimulatedAgents.Step step : agent.steps().apply(context)) {
                    Message narrated = step.narration().apply(narrator);
                    pacing.afterStep(narrated, step.latencyMillis());
                    checkpoint(guard, context);
                }
                guard.agentCompleted(agent.type(), agent.summary().apply(context), agent.metadata());
            }
            String summary = "all 6 agents finished";
            messages.complete(workflowId, summary);
            return new Outcome(workflowId, WorkflowStatus.COMPLETED, null, summary);
        } catch (WorkflowRedirectedException redirected) {
            // The library already ran the host's RedirectHandler and started the new thread.
            return new Outcome(workflowId, WorkflowStatus.REDIRECTED, redirected.newWorkflowId(),
                    redirected.reason());
        } catch (WorkflowCancelledException cancelled) {
            return new Outcome(workflowId, WorkflowStatus.CANCELLED, null, cancelled.reason());
        } catch (WorkflowStoppedException stopped) {
            return new Outcome(workflowId, stopped.status(), null, stopped.reason());
        }
    }

    /**
     * The checkpoint between two steps: blocks while the workflow is paused, throws when it was
     * cancelled or redirected, and hands over what the person wrote meanwhile.
     */
    private static void checkpoint(CheckpointGuard guard, Context context) throws InterruptedException {
        Checkpoint checkpoint = guard.check();
        if (checkpoint.isEmpty()) {
            return;
        }
        for (Message comment : checkpoint.comments()) {
            context.notes.add(comment.content());
        }
        for (Message instruction : checkpoint.instructions()) {
            context.notes.add(instruction.content());
            guard.acknowledge(instruction, "Acknowledged user context - will consider it in the rest of the workflow");
        }
    }

    private static final class Context implements SimulatedAgents.RunContext {
        private final List<String> notes = new ArrayList<>();

        @Override
        public List<String> userNotes() {
            return Collections.unmodifiableList(notes);
        }
    }
}
