package dev.workflowthread;

import java.util.Map;

/**
 * What a {@link RedirectHandler} needs to create the replacing workflow.
 *
 * @param originalWorkflowId the workflow being redirected
 * @param sourceMessageId    the redirect message; the same on a retry, so usable as an idempotency key
 * @param newTaskDescription the new task, from {@code metadata.newTaskDescription}
 * @param content            what the person wrote with the redirect
 * @param metadata           the redirect message's whole metadata
 * @param author             who asked, or null
 */
public record RedirectRequest(
        long originalWorkflowId,
        long sourceMessageId,
        String newTaskDescription,
        String content,
        Map<String, Object> metadata,
        String author) {
}
