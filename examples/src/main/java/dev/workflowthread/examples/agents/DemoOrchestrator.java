package dev.workflowthread.examples.agents;

import dev.workflowthread.ActionType;
import dev.workflowthread.AgentNarrator;
import dev.workflowthread.Answer;
import dev.workflowthread.Checkpoint;
import dev.workflowthread.CheckpointGuard;
import dev.workflowthread.Message;
import dev.workflowthread.QuestionTimeout;
import dev.workflowthread.StopReason;
import dev.workflowthread.StopToken;
import dev.workflowthread.WorkflowCancelledException;
import dev.workflowthread.WorkflowFinishedException;
import dev.workflowthread.WorkflowMessages;
import dev.workflowthread.WorkflowRedirectedException;
import dev.workflowthread.WorkflowStatus;
import dev.workflowthread.WorkflowStoppedException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A host's orchestrator, reduced to what the library touches: it runs the agents one after the
 * other, lets each narrate what it does, and calls {@link CheckpointGuard#check()} between every
 * two steps, so the person watching the thread can pause, add context, resume, cancel or redirect
 * the workflow while it runs. The agents' long steps watch the step's stop token, so a cancel or an
 * urgent message cuts them short; an instruction with {@code metadata.skipToAgent} ends the agent
 * at work and skips to the one named ("Skipping to review agent at user request"), and one naming
 * no agent ahead is answered in the thread and changes nothing.
 */
public final class DemoOrchestrator {
    private static final Logger LOG = LoggerFactory.getLogger(DemoOrchestrator.class);
    /** How much of an instruction the agent quotes in its reply. */
    private static final int QUOTED = 120;

    /** Sees every checkpoint before it is taken, for a demo that must act at a precise point. */
    @FunctionalInterface
    public interface CheckpointObserver {
        /**
         * Called on the agent loop's thread right before a checkpoint.
         *
         * @param lastNarrated the message the run wrote last, or null before its first one
         */
        void beforeCheckpoint(Message lastNarrated) throws InterruptedException;

        /** Observes nothing. */
        CheckpointObserver NONE = lastNarrated -> {
        };
    }

    /**
     * How a workflow's run ended.
     *
     * @param workflowId    the workflow that ran
     * @param status        completed, cancelled, redirected or failed
     * @param newWorkflowId the workflow that replaces it after a redirect, else null
     * @param detail        the summary, the cancel reason, the new task or the failure
     */
    public record Outcome(long workflowId, WorkflowStatus status, Long newWorkflowId, String detail) {
    }

    private final WorkflowMessages messages;
    private final CheckpointObserver observer;

    public DemoOrchestrator(WorkflowMessages messages, CheckpointObserver observer) {
        this.messages = messages;
        this.observer = observer;
    }

    /**
     * Runs the agents for one workflow until they are all done or the person stops the workflow.
     * An agent that throws fails the workflow, with the error in the thread.
     *
     * @param workspace the project folder the agents work on
     * @throws InterruptedException when the thread is interrupted (the server stops); the
     *                              workflow is left as it is
     */
    public Outcome run(long workflowId, String task, Path workspace, List<Agent> agents) throws InterruptedException {
        messages.start(workflowId);
        Run run = new Run(workflowId, task, workspace, messages.guard(workflowId), agents);
        long executionId = workflowId * 100;
        String current = null;
        int skipped = 0;
        try {
            for (int index = 0; index < agents.size(); ) {
                Agent agent = agents.get(index);
                run.position = index;
                try {
                    run.checkpoint();
                } catch (SkipToAgent skip) {
                    skipped += skip.index - index;
                    index = skip.index;
                    continue;
                }
                current = agent.type();
                run.guard.agentStarting(agent.type(), agent.description());
                run.narrator = new RecordingNarrator(run.guard.narrator(agent.type(), ++executionId), run);
                run.atWork = true;
                try {
                    AgentResult result = agent.run(run);
                    run.last = run.guard.agentCompleted(agent.type(), result.summary(), result.metadata());
                    index++;
                } catch (SkipToAgent skip) {
                    String target = agents.get(skip.index).type();
                    run.last = run.guard.agentCompleted(agent.type(), "stopped early at user request, skipping to the "
                            + target + " agent", Map.of(Message.SKIP_TO_AGENT, target));
                    skipped += skip.index - index - 1;
                    index = skip.index;
                } finally {
                    run.atWork = false;
                    run.narrator = null;
                }
            }
            String summary = skipped == 0 ? "all " + agents.size() + " agents finished"
                    : (agents.size() - skipped) + " of " + agents.size() + " agents finished, " + skipped
                    + " skipped at user request";
            messages.complete(workflowId, summary);
            return new Outcome(workflowId, WorkflowStatus.COMPLETED, null, summary);
        } catch (WorkflowRedirectedException redirected) {
            // The library already ran the host's RedirectHandler and started the new thread.
            return new Outcome(workflowId, WorkflowStatus.REDIRECTED, redirected.newWorkflowId(), redirected.reason());
        } catch (WorkflowCancelledException cancelled) {
            return new Outcome(workflowId, WorkflowStatus.CANCELLED, null, cancelled.reason());
        } catch (WorkflowStoppedException stopped) {
            return new Outcome(workflowId, stopped.status(), null, stopped.reason());
        } catch (RuntimeException failure) {
            if (Thread.interrupted()) {
                // Stopped (an interrupted file write fails this way): not the agent's fault.
                InterruptedException stopped = new InterruptedException("workflow " + workflowId + " was stopped");
                stopped.addSuppressed(failure);
                throw stopped;
            }
            String reason = (current == null ? "the orchestrator" : "the " + current + " agent") + " failed: " + failure;
            LOG.warn("workflow {}: {}", workflowId, reason, failure);
            try {
                messages.fail(workflowId, reason);
            } catch (WorkflowFinishedException finishedMeanwhile) {
                return new Outcome(workflowId, finishedMeanwhile.status(), null, reason);
            }
            return new Outcome(workflowId, WorkflowStatus.FAILED, null, reason);
        }
    }

    /** The reply to an instruction, worded as the library's own acknowledgements are. */
    static String acknowledgement(Message instruction, String agentType) {
        String text = instruction.content().strip().replaceAll("\\s+", " ");
        String quoted = text.length() <= QUOTED ? text : text.substring(0, QUOTED) + "…";
        String from = agentType == null ? "the next agent" : "the " + agentType + " agent";
        return "Acknowledged user context - will consider \"" + quoted + "\" from " + from + " on";
    }

    /** Thrown by a checkpoint that hands over a skip: ends the agent at work; the run goes on at {@code index}. */
    private static final class SkipToAgent extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int index;

        SkipToAgent(int index) {
            super("skip to agent " + index, null, false, false);
            this.index = index;
        }
    }

    /** What fired a stop token, as the agents say it: "urgent instruction", "cancel", … */
    static String stopCause(StopReason reason, Message urgent) {
        return switch (reason.kind()) {
            case CANCEL -> "cancel";
            case REDIRECT -> "redirect";
            case WORKFLOW_FINISHED -> "the workflow finished";
            case SERVICE_CLOSED -> "the server shutting down";
            case URGENT_MESSAGE -> urgent == null ? "urgent message"
                    : urgent.actionType() == ActionType.INSTRUCTION ? "urgent instruction" : "urgent comment";
        };
    }

    /** One workflow's run: the context every agent of it gets. */
    private final class Run implements AgentContext {
        private final long workflowId;
        private final String task;
        private final Path workspace;
        private final CheckpointGuard guard;
        private final List<Agent> agents;
        private final List<String> notes = new ArrayList<>();
        private RecordingNarrator narrator;
        private Message last;
        /** The agent at work, or the next to start. */
        private int position;
        /** Whether the agent at {@link #position} has started. */
        private boolean atWork;

        Run(long workflowId, String task, Path workspace, CheckpointGuard guard, List<Agent> agents) {
            this.workflowId = workflowId;
            this.task = task;
            this.workspace = workspace;
            this.guard = guard;
            this.agents = agents;
        }

        @Override
        public long workflowId() {
            return workflowId;
        }

        @Override
        public String task() {
            return task;
        }

        @Override
        public Path workspace() {
            return workspace;
        }

        @Override
        public AgentNarrator narrator() {
            if (narrator == null) {
                throw new IllegalStateException("no agent is running");
            }
            return narrator;
        }

        @Override
        public List<String> userNotes() {
            return Collections.unmodifiableList(notes);
        }

        @Override
        public void checkpoint() throws InterruptedException {
            observer.beforeCheckpoint(last);
            Checkpoint checkpoint = guard.check();
            String agentType = narrator == null ? null : narrator.agentType();
            for (Message comment : checkpoint.comments()) {
                notes.add(comment.content());
            }
            int skipTo = -1;
            for (Message instruction : checkpoint.instructions()) {
                Object target = instruction.metadata() == null ? null : instruction.metadata().get(Message.SKIP_TO_AGENT);
                if (target instanceof String agent) {
                    int index = skipTarget(agent);
                    last = guard.acknowledge(instruction, skipReply(agent, index));
                    if (index >= 0) {
                        skipTo = index;
                    }
                    continue;
                }
                notes.add(instruction.content());
                last = guard.acknowledge(instruction, acknowledgement(instruction, agentType));
            }
            if (skipTo >= 0) {
                throw new SkipToAgent(skipTo);
            }
            if (checkpoint.resumed() && narrator != null) {
                narrator.say("Continuing " + agentType + " agent execution...");
            }
        }

        /** The index of the agent a skip names, when it is ahead of this run; else -1. */
        private int skipTarget(String agent) {
            for (int i = 0; i < agents.size(); i++) {
                if (agents.get(i).type().equals(agent)) {
                    return i > position || (i == position && !atWork) ? i : -1;
                }
            }
            return -1;
        }

        private String skipReply(String agent, int index) {
            if (index >= 0) {
                return "Skipping to " + agent + " agent at user request";
            }
            boolean known = agents.stream().anyMatch(a -> a.type().equals(agent));
            String quoted = "'" + (agent.length() <= QUOTED ? agent : agent.substring(0, QUOTED) + "…") + "'";
            if (!known) {
                return "Cannot skip to " + quoted + ": no such agent; going on";
            }
            return "Cannot skip to " + quoted + ": the " + agent + " agent "
                    + (agents.get(position).type().equals(agent) ? "is at work already" : "has run already") + "; going on";
        }

        @Override
        public StopToken stopToken() {
            return guard.stopToken();
        }

        @Override
        public String stopCause(StopReason reason) {
            Message urgent = null;
            if (reason.kind() == StopReason.Kind.URGENT_MESSAGE && reason.messageId() != null) {
                urgent = messages.getPendingUserMessages(workflowId).stream()
                        .filter(m -> m.id() == reason.messageId()).findFirst().orElse(null);
            }
            return DemoOrchestrator.stopCause(reason, urgent);
        }

        @Override
        public Answer ask(String question, List<String> options, Duration timeout, String defaultAnswer)
                throws InterruptedException {
            return guard.ask(question, options, timeout, QuestionTimeout.answer(defaultAnswer));
        }
    }

    /** A narrator that remembers the last message, for the {@link CheckpointObserver}. */
    private static final class RecordingNarrator implements AgentNarrator {
        private final AgentNarrator delegate;
        private final Run run;

        RecordingNarrator(AgentNarrator delegate, Run run) {
            this.delegate = delegate;
            this.run = run;
        }

        @Override
        public String agentType() {
            return delegate.agentType();
        }

        @Override
        public Message say(String content, Map<String, Object> metadata) {
            Message message = delegate.say(content, metadata);
            run.last = message;
            return message;
        }
    }
}
