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

    public NewMessage {
        Objects.requireNonNull(messageType, "messageType");
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(actionType, "actionType");
        Objects.requireNonNull(actionStatus, "actionStatus");
        Objects.requireNonNull(createdAt, "createdAt");
        metadata = MetadataCodec.immutableCopy(metadata);
    }

    /** A message without an idempotency key. */
    public NewMessage(Long agentExecutionId, MessageType messageType, String agentType, String content,
                      Map<String, Object> metadata, ActionType actionType, ActionStatus actionStatus,
                      Instant createdAt, String author) {
        this(agentExecutionId, messageType, agentType, content, metadata, actionType, actionStatus, createdAt,
                author, null);
    }
}
