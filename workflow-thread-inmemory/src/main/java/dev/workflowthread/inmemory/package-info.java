/**
 * The in-memory {@link dev.workflowthread.spi.ThreadStore}: create one with
 * {@link dev.workflowthread.inmemory.InMemoryThreadStore#create()}. For hosts' unit tests and demos.
 */
package dev.workflowthread.inmemory;
