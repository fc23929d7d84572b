package dev.workflowthread.internal;

import dev.workflowthread.SendPolicy;
import dev.workflowthread.WorkflowMessages;
import dev.workflowthread.WorkflowThreadConfig;
import dev.workflowthread.spi.ThreadStore;

/**
 * The way into the implementation from the API package, so that the rest of {@code internal} is
 * package-private. Not API: use
 * {@link WorkflowMessages#create} and {@link SendPolicy#allowAll()}.
 */
public final class Implementation {

    private Implementation() {
    }

    /** The service over {@code store}; throws {@link IllegalArgumentException} when either is null. */
    public static WorkflowMessages workflowMessages(ThreadStore store, WorkflowThreadConfig config) {
        return new DefaultWorkflowMessages(store, config);
    }

    /** The policy that allows every send. */
    public static SendPolicy allowAllSendPolicy() {
        return AllowAllSendPolicy.INSTANCE;
    }
}
