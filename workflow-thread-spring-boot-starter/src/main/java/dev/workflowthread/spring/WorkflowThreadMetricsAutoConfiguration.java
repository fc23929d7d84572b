package dev.workflowthread.spring;

import dev.workflowthread.micrometer.MicrometerObserver;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Micrometer meters for workflow-thread, when the application has a {@link MeterRegistry} and
 * {@code workflow-thread-micrometer} is on the class path: a {@link MicrometerObserver} bean,
 * which the auto-configured service and JDBC store are given like every observer bean. The
 * meters are listed in {@link MicrometerObserver}.
 */
@AutoConfiguration(afterName = {
        "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration"})
@ConditionalOnClass({MicrometerObserver.class, MeterRegistry.class})
@ConditionalOnBean(MeterRegistry.class)
public final class WorkflowThreadMetricsAutoConfiguration {

    /** Made by Spring. */
    public WorkflowThreadMetricsAutoConfiguration() {
    }

    /**
     * The meters, unless the application has a {@link MicrometerObserver} bean.
     *
     * @param registry the application's registry
     * @return the observer keeping the meters
     */
    @Bean
    @ConditionalOnMissingBean
    MicrometerObserver workflowThreadMeters(MeterRegistry registry) {
        return MicrometerObserver.of(registry);
    }
}
