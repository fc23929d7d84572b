/**
 * Spring Boot auto-configuration of workflow-thread: {@link dev.workflowthread.spring.WorkflowThreadAutoConfiguration}
 * (the store and the service), {@link dev.workflowthread.spring.WorkflowThreadProperties} (the
 * {@code workflow-thread.*} properties), the health indicator and the meters.
 */
package dev.workflowthread.spring;
