package dev.workflowthread.spi;

import dev.workflowthread.Message;
import dev.workflowthread.WorkflowState;
import java.util.List;
import java.util.Objects;

/**
 * What a {@link ThreadStore#commit(Commit)} did.
 *
 * @param committed true when everything was applied; false on a conflict (version mismatch or a
 *                  required resolution whose condition failed), in which case nothing was written
 * @param state     the workflow's state after the commit, or its current state after a conflict
 * @param appended  the appended messages with their {@code id} and {@code seq}; empty on conflict
 */
public record CommitResult(boolean committed, WorkflowState state, List<Message> appended) {

    public CommitResult {
        Objects.requireNonNull(state, "state");
        appended = List.copyOf(appended);
    }

    public static CommitResult committed(WorkflowState state, List<Message> appended) {
        return new CommitResult(true, state, appended);
    }

    public static CommitResult conflict(WorkflowState current) {
        return new CommitResult(false, current, List.of());
    }
}
