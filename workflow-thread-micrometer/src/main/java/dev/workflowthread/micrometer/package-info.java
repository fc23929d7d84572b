/**
 * Binds a {@link dev.workflowthread.WorkflowThreadObserver} to Micrometer meters:
 * {@link dev.workflowthread.micrometer.MicrometerObserver}.
 */
package dev.workflowthread.micrometer;
