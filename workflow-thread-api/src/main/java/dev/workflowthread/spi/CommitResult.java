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

    /**
     * Checks and copies the components.
     *
     * @param committed whether everything was applied
     * @param state     the workflow's state after the commit, or as it is after a conflict
     * @param appended  the appended or replayed messages, copied
     * @param replayed  whether the commit was a replay under an idempotency key
     * @throws NullPointerException     when {@code state} or {@code appended} is null
     * @throws IllegalArgumentException when {@code committed} and {@code replayed} are both true
     */
    public CommitResult {
        Objects.requireNonNull(state, "state");
        appended = List.copyOf(appended);
        if (committed && replayed) {
            throw new IllegalArgumentException("a replayed commit wrote nothing, so it is not committed");
        }
    }

    /**
     * A result that is not a replay.
     *
     * @param committed whether everything was applied
     * @param state     the workflow's state after the commit, or as it is after a conflict
     * @param appended  the appended messages, copied
     * @throws NullPointerException when {@code state} or {@code appended} is null
     */
    public CommitResult(boolean committed, WorkflowState state, List<Message> appended) {
        this(committed, state, appended, false);
    }

    /**
     * Everything was applied.
     *
     * @param state    the workflow's state after the commit
     * @param appended the appended messages with their {@code id} and {@code seq}
     * @return the result
     */
    public static CommitResult committed(WorkflowState state, List<Message> appended) {
        return new CommitResult(true, state, appended);
    }

    /**
     * Nothing was written: the version did not match, or a required resolution's condition failed.
     *
     * @param current the workflow's state as it is now
     * @return the result, with no appended messages
     */
    public static CommitResult conflict(WorkflowState current) {
        return new CommitResult(false, current, List.of());
    }

    /**
     * Nothing written, because the workflow already holds an idempotency key of the commit.
     *
     * @param current the workflow's state as it is now
     * @param stored  the messages already stored under the commit's keys, in the order of the
     *                commit's keyed messages
     * @return the result
     */
    public static CommitResult replayed(WorkflowState current, List<Message> stored) {
        return new CommitResult(false, current, stored, true);
    }
}
