package dev.workflowthread.examples.server;

import dev.workflowthread.ActionType;
import dev.workflowthread.SendPolicy;
import dev.workflowthread.SendRequest;
import dev.workflowthread.WorkflowFinishedException;
import dev.workflowthread.WorkflowState;
import java.util.Optional;

/**
 * The demo's {@link SendPolicy}: anyone may comment on a workflow or give it an instruction; only
 * the person who started it may pause, resume, cancel or redirect it. A workflow made by a
 * redirect belongs to the person who started the one it replaced. A workflow without a recorded
 * starter (made by a demo from before it knew who starts workflows) can be steered by nobody.
 * The author it judges is the one {@link ApiRoutes} set from the caller's {@link Visitors} cookie.
 *
 * <p>And nobody steers a workflow that finished: the library would store such a control message
 * as ignored, the demo refuses it (a 409) and stores nothing. The policy decides against the state
 * the message would be stored against, so a workflow that finishes while a pause is on its way
 * cannot slip between a look at its state and the send.
 */
final class StarterSteers implements SendPolicy {
    private final HostWorkflows host;

    StarterSteers(HostWorkflows host) {
        this.host = host;
    }

    @Override
    public Decision decide(WorkflowState state, SendRequest request) {
        ActionType action = request.actionType();
        if (!action.isControl()) {
            return Decision.allow();
        }
        long id = state.workflowId();
        if (state.isFinished()) {
            // Thrown rather than denied: not the steerer's mistake but the workflow's end, a 409.
            throw new WorkflowFinishedException(id, state.status());
        }
        Optional<String> starter = host.find(id).map(HostWorkflows.HostWorkflow::startedBy);
        if (starter.isPresent() && starter.get().equals(request.author())) {
            return Decision.allow();
        }
        return Decision.deny("only the person who started workflow " + id + " ("
                + starter.orElse("nobody recorded") + ") may " + action.wireName() + " it; anyone may comment"
                + " or give an instruction");
    }
}
