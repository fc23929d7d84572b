package dev.workflowthread.examples;

import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.service.AiServices;
import dev.workflowthread.CheckpointGuard;
import dev.workflowthread.examples.langchain4j.WorkspaceTools;
import dev.workflowthread.langchain4j.WorkflowAgent;
import dev.workflowthread.langchain4j.WorkflowThreadAgents;
import java.nio.file.Path;

/**
 * The README's lines that wire a LangChain4j AI Service into a workflow's thread, as they are
 * compiled; {@code ReadmeLangChain4jTest} checks the README holds them and runs them.
 */
public final class ReadmeLangChain4j {
    private ReadmeLangChain4j() {
    }

    /** The AI Service the README builds. */
    public interface Assistant {
        /**
         * Does what it is asked.
         *
         * @param request the task
         * @return the assistant's answer
         */
        String chat(String request);
    }

    /**
     * Builds the README's assistant.
     *
     * @param guard       the workflow's checkpoint guard
     * @param executionId the host's id of this agent run
     * @param model       the model, built as usual
     * @param workspace   the folder its file tools work in
     * @return the assistant
     */
    public static Assistant assistant(CheckpointGuard guard, Long executionId, ChatModel model, Path workspace) {
        // README-BEGIN
        WorkflowAgent agent = WorkflowThreadAgents.wrap(guard, "code", executionId);
        Assistant assistant = agent.wire(AiServices.builder(Assistant.class)) // checkpoints, tool narration
                .chatModel(agent.chatModel(model))                            // model-call narration
                .chatMemory(agent.chatMemory(MessageWindowChatMemory.withMaxMessages(40)))
                .tools(new WorkspaceTools(workspace), agent.askUserTool())
                .build();
        // README-END
        return assistant;
    }
}
