package dev.workflowthread;

/**
 * A redirect was sent, but the {@link WorkflowMessages} has no {@link RedirectHandler} to create
 * the new workflow. Nothing was stored. Configure one with
 * {@link WorkflowThreadConfig.Builder#redirectHandler(RedirectHandler)}. Its
 * {@link #reason()} is {@link Reason#NOT_APPLICABLE}.
 */
public class RedirectNotConfiguredException extends InvalidMessageException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception, naming {@code action_type}. */
    public RedirectNotConfiguredException() {
        super("action_type", Reason.NOT_APPLICABLE, "action_type 'redirect' is not available: no RedirectHandler is configured");
    }
}
