package dev.workflowthread.web;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the web layer asks of the host about its own workflows: the library keeps each workflow's
 * thread, the host keeps the workflows (their task, who started them, …) in its own table. The
 * REST handler and the WebSocket sessions show a workflow as its thread state (the library's
 * {@code workflow_id}, {@code status}, {@code is_paused}, …) followed by the fields {@link #find}
 * gives.
 *
 * <p>Only {@link #find} is required. A host that does not list or create workflows over the REST
 * API leaves {@link #newest} and {@link #create} as they are: those endpoints then answer 405.
 */
public interface WorkflowHost {

    /**
     * The host's fields of a workflow, added to its document after the thread state: for instance
     * {@code task_description}, {@code created_at}, {@code started_by}. Values must be what JSON
     * holds: strings, numbers, booleans, nulls, lists and maps of them.
     *
     * @param workflowId the workflow's id (positive)
     * @return the fields in the order they are shown, or empty when the host has no such workflow
     *         (the REST API answers 404)
     */
    Optional<Map<String, Object>> find(long workflowId);

    /**
     * The ids of the newest workflows, newest first, for {@code GET /workflows}.
     *
     * @param limit how many at most (1 to the handler's list limit)
     * @return the ids
     * @throws UnsupportedOperationException when the host does not list workflows (the default;
     *                                       answered 405)
     */
    default List<Long> newest(int limit) {
        throw new UnsupportedOperationException("this server does not list workflows");
    }

    /**
     * Creates a workflow for {@code POST /workflows}: stores it, starts its thread
     * ({@code WorkflowMessages.start}) and whatever runs it.
     *
     * @param taskDescription the task, already checked (not blank, no control characters, within
     *                        the handler's task limit)
     * @param startedBy       the caller's principal name, or null when the host gave none
     * @return the new workflow's id, whose thread is started
     * @throws WebRefusal                    to refuse it (for instance {@link WebRefusal#tooMany})
     * @throws UnsupportedOperationException when the host does not create workflows (the default;
     *                                       answered 405)
     */
    default long create(String taskDescription, String startedBy) {
        throw new UnsupportedOperationException("this server does not create workflows");
    }
}
