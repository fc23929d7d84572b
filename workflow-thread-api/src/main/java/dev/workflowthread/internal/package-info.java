/**
 * Implementation of workflow-thread. Not API: anything here may change or disappear in any
 * release. Use {@code dev.workflowthread} and {@code dev.workflowthread.spi} instead.
 */
package dev.workflowthread.internal;
