package dev.workflowthread.langchain4j;

import dev.workflowthread.CheckpointGuard;
import dev.workflowthread.InvalidArgumentException;
import dev.workflowthread.WorkflowMessages;

/**
 * Where a LangChain4j agent joins its workflow's thread: one call gives the {@link WorkflowAgent}
 * whose hooks, listener and tools plug into {@code AiServices}.
 *
 * <pre>{@code
 * WorkflowAgent agent = WorkflowThreadAgents.wrap(guard, "code", executionId);
 * Assistant assistant = agent.wire(AiServices.builder(Assistant.class))
 *         .chatModel(agent.chatModel(model))
 *         .tools(new FileTools(workspace), agent.askUserTool())
 *         .build();
 * }</pre>
 */
public final class WorkflowThreadAgents {

    private WorkflowThreadAgents() {
    }

    /**
     * An agent with the default settings (everything narrated, secrets hidden, arguments up to
     * {@value WorkflowAgent.Builder#DEFAULT_MAX_ARGUMENT_LENGTH} characters, 5 minutes to answer a
     * question).
     *
     * @param guard       the checkpoint guard of the agent loop
     * @param agentType   the agent's type, for instance {@code "code"}, or null
     * @param executionId the host's id of this run of the agent, or null
     * @return the agent
     * @throws InvalidArgumentException naming {@code guard} when it is null
     */
    public static WorkflowAgent wrap(CheckpointGuard guard, String agentType, Long executionId) {
        return WorkflowAgent.builder(guard).agentType(agentType).executionId(executionId).build();
    }

    /**
     * An agent with the default settings, without an execution id.
     *
     * @param guard     the checkpoint guard of the agent loop
     * @param agentType the agent's type, or null
     * @return the agent
     * @throws InvalidArgumentException naming {@code guard} when it is null
     */
    public static WorkflowAgent wrap(CheckpointGuard guard, String agentType) {
        return wrap(guard, agentType, null);
    }

    /**
     * An agent with the default settings over a new guard of {@code workflowId}.
     *
     * @param messages   the service
     * @param workflowId the workflow
     * @param agentType  the agent's type, or null
     * @return the agent
     * @throws InvalidArgumentException naming {@code messages} when it is null, or what
     *                                  {@link WorkflowMessages#guard(long)} refuses
     */
    public static WorkflowAgent wrap(WorkflowMessages messages, long workflowId, String agentType) {
        return wrap(WorkflowAgent.required("messages", messages).guard(workflowId), agentType, null);
    }

    /**
     * A builder, for other settings than the defaults.
     *
     * @param guard the checkpoint guard of the agent loop
     * @return the builder
     * @throws InvalidArgumentException naming {@code guard} when it is null
     */
    public static WorkflowAgent.Builder builder(CheckpointGuard guard) {
        return WorkflowAgent.builder(guard);
    }
}
