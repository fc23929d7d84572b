package dev.workflowthread;

/**
 * Supplied by the host: creates the workflow that replaces a redirected one.
 *
 * <p>Called by the checkpoint that applies the redirect, on the agent loop's thread, outside any
 * lock of the library. If the process dies after the handler returned but before the redirect was
 * recorded, another checkpoint applies the redirect again after the lease and calls the handler a
 * second time with the same {@link RedirectRequest#sourceMessageId()}: a handler that must not
 * create two workflows looks that id up first.
 *
 * <p>When the handler throws, the redirect is stored as {@link ActionStatus#IGNORED}, a system
 * message says why, and the workflow goes on.
 */
@FunctionalInterface
public interface RedirectHandler {

    /**
     * Creates the new workflow in the host and returns its id. The library then starts the new
     * workflow's thread.
     */
    long createWorkflow(RedirectRequest request);
}
