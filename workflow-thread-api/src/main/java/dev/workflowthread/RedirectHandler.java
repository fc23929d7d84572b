package dev.workflowthread;

/**
 * Supplied by the host: creates the workflow that replaces a redirected one.
 *
 * <p>Called by the checkpoint that applies the redirect, on the agent loop's thread, outside any
 * lock of the library, once per redirect message by one {@link WorkflowMessages} (its other
 * checkpoints wait for that call's result). If the process dies after the handler returned but
 * before the redirect was recorded, or the handler outlasts the lease and a checkpoint of another
 * process (or of another {@code WorkflowMessages}) takes the redirect over, the handler is called
 * again there with the same
 * {@link RedirectRequest#sourceMessageId()}: a handler that must not create two workflows looks
 * that id up first. A person may also cancel while the handler runs; the cancel wins, and the
 * workflow the handler created is the host's to drop.
 *
 * <p>When the handler throws, the redirect is stored as {@link ActionStatus#IGNORED}, a system
 * message says why, and the workflow goes on.
 */
@FunctionalInterface
public interface RedirectHandler {

    /**
     * Creates the new workflow in the host and returns its id. The library then starts the new
     * workflow's thread.
     *
     * @param request the redirected workflow, the redirect message's id and the new task
     * @return the id of the workflow the host created
     */
    long createWorkflow(RedirectRequest request);
}
