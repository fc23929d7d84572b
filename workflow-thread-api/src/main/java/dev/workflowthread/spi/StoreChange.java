package dev.workflowthread.spi;

/**
 * A committed change of one workflow's thread, as told to a {@link StoreChangeListener}. A store
 * may tell several commits as one change.
 *
 * @param workflowId      the workflow
 * @param version         its state version after the change
 * @param previousLastSeq its newest {@code seq} before the change; equal to {@code lastSeq} when the
 *                        store does not know it (a change of another process found by reading the
 *                        state), so that a listener compares {@code lastSeq} with its own cursor
 * @param lastSeq         its newest {@code seq} after the change
 * @param finished        true when the workflow is finished after the change
 */
public record StoreChange(long workflowId, long version, long previousLastSeq, long lastSeq, boolean finished) {
}
