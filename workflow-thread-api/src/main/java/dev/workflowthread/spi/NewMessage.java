package dev.workflowthread.spi;

import dev.workflowthread.ActionStatus;
import dev.workflowthread.ActionType;
import dev.workflowthread.MessageType;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A message to append; the store gives it its {@code id} and {@code seq}. Validated by the
 * library before it reaches the store.
 *
 * <p>{@code idempotencyKey}, when not null, is unique within the workflow: a store keeps at most
 * one message per workflow and key, across processes, and a {@link Commit} holding a message whose
 * key the workflow already has applies nothing (see {@link CommitResult#replayed()}).
 *
 * @param agentExecutionId the host's agent execution, or null
 * @param messageType      who writes it
 * @param agentType        the agent's type, or null
 * @param content          the text
 * @param metadata         a JSON object, or null
 * @param actionType       what the message asks of the workflow
 * @param actionStatus     the status it is stored with
 * @param createdAt        when it is stored, on the library's clock
 * @param author           who sent a user message, or null
 * @param idempotencyKey   the caller's key, unique within the workflow, or null
 */
public record NewMessage(
        Long agentExecutionId,
        MessageType messageType,
        String agentType,
        String content,
        Map<String, Object> metadata,
        ActionType actionType,
        ActionStatus actionStatus,
        Instant createdAt,
        String author,
        String idempotencyKey) {

    /**
     * Checks the components and copies the metadata as {@link MetadataCodec#immutableCopy} does.
     *
     * @param agentExecutionId the host's agent execution, or null
     * @param messageType      who writes it
     * @param agentType        the agent's type, or null
     * @param content          the text
     * @param metadata         a JSON object, or null
     * @param actionType       what the message asks of the workflow
     * @param actionStatus     the status it is stored with
     * @param createdAt        when it is stored
     * @param author           who sent a user message, or null
     * @param idempotencyKey   the caller's key, or null
     * @throws NullPointerException                        when {@code messageType}, {@code content},
     *                                                    {@code actionType}, {@code actionStatus} or
     *                                                    {@code createdAt} is null
     * @throws dev.workflowthread.InvalidMessageException naming {@code metadata}, for metadata no
     *                                                    message may hold
     */
    public NewMessage {
        Objects.requireNonNull(messageType, "messageType");
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(actionType, "actionType");
        Objects.requireNonNull(actionStatus, "actionStatus");
        Objects.requireNonNull(createdAt, "createdAt");
        metadata = MetadataCodec.immutableCopy(metadata);
    }

    /**
     * A message without an idempotency key.
     *
     * @param agentExecutionId the host's agent execution, or null
     * @param messageType      who writes it
     * @param agentType        the agent's type, or null
     * @param content          the text
     * @param metadata         a JSON object, or null
     * @param actionType       what the message asks of the workflow
     * @param actionStatus     the status it is stored with
     * @param createdAt        when it is stored
     * @param author           who sent a user message, or null
     * @throws NullPointerException                        when {@code messageType}, {@code content},
     *                                                    {@code actionType}, {@code actionStatus} or
     *                                                    {@code createdAt} is null
     * @throws dev.workflowthread.InvalidMessageException naming {@code metadata}, for metadata no
     *                                                    message may hold
     */
    public NewMessage(Long agentExecutionId, MessageType messageType, String agentType, String content,
                      Map<String, Object> metadata, ActionType actionType, ActionStatus actionStatus,
                      Instant createdAt, String author) {
        this(agentExecutionId, messageType, agentType, content, metadata, actionType, actionStatus, createdAt,
                author, null);
    }
}
