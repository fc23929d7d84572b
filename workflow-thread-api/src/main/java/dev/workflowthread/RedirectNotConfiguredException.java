package dev.workflowthread;

/**
 * A redirect was sent, but the {@link WorkflowMessages} has no {@link RedirectHandler} to create
 * the new workflow. Nothing was stored. Configure one with
 * {@link WorkflowThreadConfig.Builder#redirectHandler(RedirectHandler)}.
 */
public class RedirectNotConfiguredException extends InvalidMessageException {
    private static final long serialVersionUID = 1L;

    public RedirectNotConfiguredException() {
        super("action_type", "action_type 'redirect' is not available: no RedirectHandler is configured");
    }
}
