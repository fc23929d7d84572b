package dev.workflowthread.spring;

import dev.workflowthread.WorkflowMessages;
import dev.workflowthread.WorkflowNotFoundException;
import dev.workflowthread.web.WorkflowHost;
import java.util.Map;
import java.util.Optional;

/** The web layer's host when the application has none: a workflow is known when it has a thread. */
final class ThreadsOnlyHost implements WorkflowHost {
    private final WorkflowMessages messages;

    ThreadsOnlyHost(WorkflowMessages messages) {
        this.messages = messages;
    }

    @Override
    public Optional<Map<String, Object>> find(long workflowId) {
        try {
            messages.getState(workflowId);
            return Optional.of(Map.of());
        } catch (WorkflowNotFoundException e) {
            return Optional.empty();
        }
    }
}
