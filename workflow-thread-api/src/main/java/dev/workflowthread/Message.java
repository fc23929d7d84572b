package dev.workflowthread;

import dev.workflowthread.spi.MetadataCodec;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One message of a workflow's thread: one row of {@code workflow_messages}.
 *
 * @param id               unique across all workflows
 * @param workflowId       the host's workflow id
 * @param seq              1, 2, 3 … within one workflow, gap-free, in commit order
 * @param agentExecutionId the host's agent execution, or null
 * @param messageType      who wrote it
 * @param agentType        {@code plan}, {@code code}, … (at most 50 characters), or null
 * @param content          the text, stored verbatim; never blank
 * @param metadata         a JSON object as an unmodifiable map, or null; its values are strings,
 *                         booleans, null, lists, maps, and numbers as {@code Long} (whole) or
 *                         {@code Double}, whichever store they were read from; a whole number
 *                         beyond 64 bits stays a {@code BigInteger}
 * @param actionType       what the message asks of the workflow
 * @param actionStatus     where the message is in its life
 * @param createdAt        when it was stored, UTC, millisecond precision
 * @param author           who sent a user message, or null
 */
public record Message(
        long id,
        long workflowId,
        long seq,
        Long agentExecutionId,
        MessageType messageType,
        String agentType,
        String content,
        Map<String, Object> metadata,
        ActionType actionType,
        ActionStatus actionStatus,
        Instant createdAt,
        String author) {

    /** The metadata key a redirect carries its new task in. */
    public static final String NEW_TASK_DESCRIPTION = "newTaskDescription";
    /** The metadata key for the agent a person asks the workflow to skip to. */
    public static final String SKIP_TO_AGENT = "skipToAgent";
    /** The metadata key for extra context a person gives the agents. */
    public static final String ADDITIONAL_CONTEXT = "additionalContext";
    /** The metadata key of a person's instruction or comment that says how it reaches a busy agent: a {@link Delivery}. */
    public static final String DELIVERY = "delivery";
    /** The metadata key of a reply: the id of the message it answers (an agent's question, or a person's instruction). */
    public static final String IN_REPLY_TO = "inReplyTo";
    /** The metadata key of an agent message that asks the person a question: {@code true}. */
    public static final String QUESTION = "question";
    /** The metadata key of a question's options: a list of strings, possibly empty. */
    public static final String OPTIONS = "options";
    /** The metadata key of a question's deadline: an ISO-8601 instant. */
    public static final String DEADLINE = "deadline";
    /** The metadata key of an answer's chosen option, one of the question's {@link #OPTIONS}. */
    public static final String CHOICE = "choice";

    /**
     * A message with the given fields; the metadata is copied as
     * {@link MetadataCodec#immutableCopy(Map)} copies it.
     *
     * @param id               unique across all workflows
     * @param workflowId       the host's workflow id
     * @param seq              its place in the workflow's thread
     * @param agentExecutionId the host's agent execution, or null
     * @param messageType      who wrote it
     * @param agentType        the agent's type, or null
     * @param content          the text
     * @param metadata         a JSON object, or null
     * @param actionType       what the message asks of the workflow
     * @param actionStatus     where the message is in its life
     * @param createdAt        when it was stored
     * @param author           who sent a user message, or null
     * @throws NullPointerException    when {@code messageType}, {@code content}, {@code actionType},
     *                                 {@code actionStatus} or {@code createdAt} is null
     * @throws InvalidMessageException naming {@code metadata}, for metadata no message may hold
     *                                 (see {@link MetadataCodec#immutableCopy(Map)})
     */
    public Message {
        Objects.requireNonNull(messageType, "messageType");
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(actionType, "actionType");
        Objects.requireNonNull(actionStatus, "actionStatus");
        Objects.requireNonNull(createdAt, "createdAt");
        metadata = MetadataCodec.immutableCopy(metadata);
    }

    /**
     * A string value of the metadata.
     *
     * @param key the metadata key
     * @return the value under {@code key}, or null when the message has no metadata, the key is
     *         absent or its value is not a string
     */
    public String metadataString(String key) {
        return metadata != null && metadata.get(key) instanceof String s ? s : null;
    }

    /**
     * The new task a redirect carries.
     *
     * @return {@code metadata.newTaskDescription} when it is a string, else null
     */
    public String newTaskDescription() {
        return metadataString(NEW_TASK_DESCRIPTION);
    }

    /**
     * Whether this is an agent's question ({@code metadata.question = true}).
     *
     * @return true for a question posted by {@link CheckpointGuard#ask}
     */
    public boolean isQuestion() {
        return messageType == MessageType.AGENT && metadata != null && Boolean.TRUE.equals(metadata.get(QUESTION));
    }

    /**
     * The message this one replies to ({@code metadata.inReplyTo}).
     *
     * @return its id, or null when absent or not a whole number
     */
    public Long inReplyTo() {
        Object value = metadata == null ? null : metadata.get(IN_REPLY_TO);
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        return null;
    }

    /**
     * A copy of this message with another action status.
     *
     * @param status the action status of the copy
     * @return the copy
     * @throws NullPointerException when {@code status} is null
     */
    public Message withActionStatus(ActionStatus status) {
        return new Message(id, workflowId, seq, agentExecutionId, messageType, agentType, content, metadata,
                actionType, status, createdAt, author);
    }
}
