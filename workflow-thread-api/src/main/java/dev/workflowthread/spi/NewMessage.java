package dev.workflowthread.spi;

import dev.workflowthread.ActionStatus;
import dev.workflowthread.ActionType;
import dev.workflowthread.MessageType;
import dev.workflowthread.internal.JsonValues;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A message to append; the store gives it its {@code id} and {@code seq}. Validated by the
 * library before it reaches the store.
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
        String author) {

    public NewMessage {
        Objects.requireNonNull(messageType, "messageType");
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(actionType, "actionType");
        Objects.requireNonNull(actionStatus, "actionStatus");
        Objects.requireNonNull(createdAt, "createdAt");
        metadata = JsonValues.immutableCopy(metadata);
    }
}
