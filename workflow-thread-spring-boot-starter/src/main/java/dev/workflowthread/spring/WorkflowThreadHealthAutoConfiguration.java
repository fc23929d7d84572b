package dev.workflowthread.spring;

import dev.workflowthread.spi.ThreadStore;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * The {@link WorkflowThreadHealthIndicator} (contributor {@code workflowThread}), when Spring Boot's
 * health support is on the class path and {@code management.health.workflow-thread.enabled} is not
 * false.
 */
@AutoConfiguration(after = WorkflowThreadAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(ThreadStore.class)
@ConditionalOnEnabledHealthIndicator("workflow-thread")
public final class WorkflowThreadHealthAutoConfiguration {

    /** Made by Spring. */
    public WorkflowThreadHealthAutoConfiguration() {
    }

    /**
     * The health indicator, unless the application has one.
     *
     * @param store  the thread store
     * @param gauges the auto-configured service's gauges, if that service was made
     * @return the health indicator
     */
    @Bean
    @ConditionalOnMissingBean
    WorkflowThreadHealthIndicator workflowThreadHealthIndicator(ThreadStore store,
                                                                ObjectProvider<WorkflowThreadGauges> gauges) {
        return new WorkflowThreadHealthIndicator(store, () -> {
            WorkflowThreadGauges holder = gauges.getIfAvailable();
            return holder == null ? java.util.Optional.empty() : holder.gauges();
        });
    }
}
