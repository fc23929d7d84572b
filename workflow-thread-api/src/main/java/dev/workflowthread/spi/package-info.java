/**
 * The service provider interface: what a storage backend implements ({@link
 * dev.workflowthread.spi.ThreadStore}) and the values that cross it. Stable for backend authors;
 * a backend proves itself by passing the contract suite of {@code workflow-thread-tck}.
 */
package dev.workflowthread.spi;
