/**
 * The contract suite every {@link dev.workflowthread.spi.ThreadStore} must pass, and test helpers.
 * A store's test extends {@link dev.workflowthread.tck.ThreadStoreContract} and returns a fresh
 * store from {@code createStore()}; the suite runs unchanged against it.
 */
package dev.workflowthread.tck;
