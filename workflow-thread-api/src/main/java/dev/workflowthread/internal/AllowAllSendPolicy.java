package dev.workflowthread.internal;

import dev.workflowthread.SendPolicy;
import dev.workflowthread.SendRequest;
import dev.workflowthread.WorkflowState;

/** {@link SendPolicy#allowAll()}: a named singleton, so that a config prints it readably. */
enum AllowAllSendPolicy implements SendPolicy {
    INSTANCE;

    @Override
    public Decision decide(WorkflowState state, SendRequest request) {
        return Decision.allow();
    }

    @Override
    public String toString() {
        return "SendPolicy.allowAll()";
    }
}
