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
 * @param appended  the appended messages with their {@code id} and {@code seq}; empty on conflict;
 *                  when replayed, the messages already stored under the keys of the commit's keyed
 *                  messages, in the order of those messages
 * @param replayed  true when a message of the commit carries an idempotency key the workflow
 *                  already holds: nothing was written ({@code committed} is false), whatever the
 *                  version or the resolutions
 */
public record CommitResult(boolean committed, WorkflowState state, List<Message> appended, boolean replayed) {

    public CommitResult {
        Objects.requireNonNull(state, "state");
        appended = List.copyOf(appended);
        if (committed && replayed) {
            throw new IllegalArgumentException("a replayed commit wrote nothing, so it is not committed");
        }
    }

    public CommitResult(boolean committed, WorkflowState state, List<Message> appended) {
        this(committed, state, appended, false);
    }

    public static CommitResult committed(WorkflowState state, List<Message> appended) {
        return new CommitResult(true, state, appended);
    }

    public static CommitResult conflict(WorkflowState current) {
        return new CommitResult(false, current, List.of());
    }

    /** Nothing written: {@code stored} are the messages already stored under the commit's keys. */
    public static CommitResult replayed(WorkflowState current, List<Message> stored) {
        return new CommitResult(false, current, stored, true);
    }
}
