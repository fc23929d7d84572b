/**
 * The API of workflow-thread: {@link dev.workflowthread.WorkflowMessages} for hosts and web apps,
 * {@link dev.workflowthread.CheckpointGuard} for agent loops, the message model, events and
 * configuration. Stable: changes follow semantic versioning.
 *
 * <p>The storage and listener plumbing a backend implements lives in {@code dev.workflowthread.spi};
 * {@code dev.workflowthread.internal} is not API and may change at any time.
 */
package dev.workflowthread;
