package dev.workflowthread;

import java.util.Map;

/**
 * The optional fields of a message written with
 * {@link WorkflowMessages#addMessage(long, MessageType, String, MessageOptions)}.
 *
 * @param agentExecutionId the host's agent execution, or null
 * @param agentType        {@code plan}, {@code code}, … at most 50 characters, or null
 * @param actionType       for user messages; agent and system messages are comments; null means comment
 * @param metadata         a JSON object, or null
 * @param author           who wrote it, or null
 */
public record MessageOptions(Long agentExecutionId, String agentType, ActionType actionType,
                             Map<String, Object> metadata, String author) {

    /** No options: a comment without agent, metadata or author. */
    public static final MessageOptions NONE = new MessageOptions(null, null, null, null, null);

    /**
     * Options for an agent's message: a comment without metadata or author.
     *
     * @param agentType        the agent's type ({@code plan}, {@code code}, …), or null
     * @param agentExecutionId the host's agent execution, or null
     * @return the options
     */
    public static MessageOptions agent(String agentType, Long agentExecutionId) {
        return new MessageOptions(agentExecutionId, agentType, null, null, null);
    }

    /**
     * A copy of these options with other metadata.
     *
     * @param metadata a JSON object, or null for none
     * @return the copy
     */
    public MessageOptions withMetadata(Map<String, Object> metadata) {
        return new MessageOptions(agentExecutionId, agentType, actionType, metadata, author);
    }

    /**
     * A copy of these options with another action type (only a user message may have one other
     * than comment).
     *
     * @param actionType what the message asks, or null for a comment
     * @return the copy
     */
    public MessageOptions withActionType(ActionType actionType) {
        return new MessageOptions(agentExecutionId, agentType, actionType, metadata, author);
    }

    /**
     * A copy of these options with another author.
     *
     * @param author who wrote the message, or null
     * @return the copy
     */
    public MessageOptions withAuthor(String author) {
        return new MessageOptions(agentExecutionId, agentType, actionType, metadata, author);
    }
}
