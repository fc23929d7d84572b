package dev.workflowthread.internal;

import dev.workflowthread.ActionStatus;
import dev.workflowthread.ActionType;
import dev.workflowthread.AgentNarrator;
import dev.workflowthread.Message;
import dev.workflowthread.MessageType;
import dev.workflowthread.spi.NewMessage;
import java.util.Map;

/** The voice of one agent in one workflow's thread; made by the service and by checkpoint guards. */
final class Narrator implements AgentNarrator {
    private final ThreadCore core;
    private final long workflowId;
    private final String agentType;
    private final Long agentExecutionId;

    /** Refuses a closed service, then checks the workflow id and agent type. */
    Narrator(ThreadCore core, long workflowId, String agentType, Long agentExecutionId) {
        core.ensureOpen();
        Validation.workflowId(workflowId);
        this.core = core;
        this.workflowId = workflowId;
        this.agentType = Validation.agentType(agentType);
        this.agentExecutionId = agentExecutionId;
    }

    @Override
    public String agentType() {
        return agentType;
    }

    @Override
    public Message say(String content, Map<String, Object> metadata) {
        return say(content, metadata, null);
    }

    @Override
    public Message say(String content, Map<String, Object> metadata, String idempotencyKey) {
        core.ensureOpen();
        Validation validation = core.validation();
        return core.append(workflowId, new NewMessage(agentExecutionId, MessageType.AGENT, agentType,
                validation.content(content), validation.metadata(metadata), ActionType.COMMENT,
                ActionStatus.PROCESSED, core.now(), null, Validation.idempotencyKey(idempotencyKey)));
    }
}
