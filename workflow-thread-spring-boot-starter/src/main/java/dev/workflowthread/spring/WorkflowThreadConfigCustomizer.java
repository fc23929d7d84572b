package dev.workflowthread.spring;

import dev.workflowthread.WorkflowThreadConfig;

/**
 * A bean of the application's that adjusts the {@link WorkflowThreadConfig} the auto-configured
 * {@link dev.workflowthread.WorkflowMessages} is built with, after the {@code workflow-thread.*}
 * properties and the {@code RedirectHandler}, {@code SendPolicy} and observer beans were applied
 * (for instance a {@code Clock} or a listener executor). Customizers run in their
 * {@link org.springframework.core.annotation.Order} order.
 */
@FunctionalInterface
public interface WorkflowThreadConfigCustomizer {

    /**
     * Adjusts the configuration being built.
     *
     * @param builder the builder, with the properties and beans applied
     */
    void customize(WorkflowThreadConfig.Builder builder);
}
