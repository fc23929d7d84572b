package dev.workflowthread.langchain4j;

import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.workflowthread.Answer;
import dev.workflowthread.CheckpointGuard;
import dev.workflowthread.QuestionTimeout;
import java.time.Duration;
import java.util.List;

/**
 * A tool the model can call to ask the person a question and wait for the answer, backed by
 * {@link CheckpointGuard#ask}: the question appears in the thread with its options and deadline,
 * and the answer (a choice or free text) goes back to the model. Nobody answering in time gives
 * the model the first option, or tells it that nobody answered, so it can decide on its own.
 * A cancel or redirect while it waits ends the AI Service call with the library's stop exception.
 *
 * <p>Get one from {@link WorkflowAgent#askUserTool()} and pass it to {@code AiServices.tools(...)}.
 */
public final class AskUserTool {

    /** What the model gets when nobody answered a question without options in time. */
    public static final String NO_ANSWER = "No answer";

    private final CheckpointGuard guard;
    private final Duration timeout;

    AskUserTool(CheckpointGuard guard, Duration timeout) {
        this.guard = guard;
        this.timeout = timeout;
    }

    /**
     * Asks the person and waits for the answer.
     *
     * @param question what to ask
     * @param options  the answers to offer, possibly empty for free text
     * @return the person's answer, or what stands for it when nobody answered in time
     * @throws dev.workflowthread.WorkflowStoppedException when the workflow is cancelled or
     *                                                     redirected while it waits
     * @throws AgentInterruptedException                   when the thread is interrupted while it waits
     */
    @Tool(name = "askUser", value = "Asks the person who follows this work a question and waits for the answer."
            + " Use it when a decision is theirs to make or something is unclear.")
    public String askUser(@P(name = "question", description = "the question, one or two sentences") String question,
                          @P(name = "options", description = "the answers to offer as choices; empty for a free answer",
                             required = false)
                          List<String> options) {
        List<String> offered = options == null ? List.of() : options;
        QuestionTimeout onTimeout = QuestionTimeout.answer(offered.isEmpty() ? NO_ANSWER : offered.get(0));
        Answer answer;
        try {
            answer = guard.ask(question, offered, timeout, onTimeout);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new AgentInterruptedException("interrupted while waiting for an answer to: " + question, interrupted);
        }
        if (answer.timedOut()) {
            return offered.isEmpty() ? "Nobody answered in time; decide on your own."
                    : "Nobody answered in time; going on with '" + answer.text() + "'.";
        }
        return answer.text();
    }
}
