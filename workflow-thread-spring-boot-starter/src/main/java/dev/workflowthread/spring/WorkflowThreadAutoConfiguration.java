package dev.workflowthread.spring;

import dev.workflowthread.RedirectHandler;
import dev.workflowthread.SendPolicy;
import dev.workflowthread.WorkflowMessages;
import dev.workflowthread.WorkflowThreadConfig;
import dev.workflowthread.WorkflowThreadObserver;
import dev.workflowthread.spi.ThreadStore;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * Auto-configuration of workflow-thread: a {@link dev.workflowthread.jdbc.JdbcThreadStore} on the application's
 * {@code DataSource} (built after Flyway or Liquibase migrated it), or, without a
 * {@code DataSource}, an {@link dev.workflowthread.inmemory.InMemoryThreadStore} with a warning that nothing persists; and the
 * {@link WorkflowMessages} over it, configured from the {@code workflow-thread.*} properties
 * ({@link WorkflowThreadProperties}), the application's {@link RedirectHandler} and
 * {@link SendPolicy} beans, every {@link WorkflowThreadObserver} bean and every
 * {@link WorkflowThreadConfigCustomizer}. An application's own {@link ThreadStore} or
 * {@link WorkflowMessages} bean replaces the one made here. On shutdown the service closes before
 * the store, and a store made here closes; a {@code DataSource} is never closed by it.
 */
@AutoConfiguration(afterName = {
        "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
        "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration",
        "org.springframework.boot.liquibase.autoconfigure.LiquibaseAutoConfiguration"})
@EnableConfigurationProperties(WorkflowThreadProperties.class)
// In this order: the in-memory store only when no JDBC store was made.
@Import({JdbcStoreConfiguration.class, InMemoryStoreConfiguration.class})
public final class WorkflowThreadAutoConfiguration {
    /** Made by Spring. */
    public WorkflowThreadAutoConfiguration() {
    }

    /**
     * What the health indicator reads of the service: its gauges.
     *
     * @return an observer that keeps the service's gauges
     */
    @Bean
    WorkflowThreadGauges workflowThreadGauges() {
        return new WorkflowThreadGauges();
    }

    /**
     * The service, unless the application has a {@link WorkflowMessages} bean.
     *
     * @param store       the thread store
     * @param properties  the {@code workflow-thread.*} properties
     * @param redirects   the application's redirect handler, if any
     * @param policies    the application's send policy, if any
     * @param observers   every observer bean
     * @param customizers every configuration customizer, in order
     * @return the service, closed with the context
     * @throws IllegalArgumentException naming the property when a property's value is refused
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    WorkflowMessages workflowMessages(ThreadStore store, WorkflowThreadProperties properties,
                                      ObjectProvider<RedirectHandler> redirects, ObjectProvider<SendPolicy> policies,
                                      ObjectProvider<WorkflowThreadObserver> observers,
                                      ObjectProvider<WorkflowThreadConfigCustomizer> customizers) {
        WorkflowThreadConfig.Builder builder = Settings.config(properties);
        redirects.ifUnique(builder::redirectHandler);
        policies.ifUnique(builder::sendPolicy);
        builder.observer(combined(observers));
        customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
        return WorkflowMessages.create(store, builder.build());
    }

    /** Every observer bean as one, or the no-op observer when there is none. */
    static WorkflowThreadObserver combined(ObjectProvider<WorkflowThreadObserver> observers) {
        List<WorkflowThreadObserver> all = observers.orderedStream().toList();
        return all.isEmpty() ? WorkflowThreadObserver.none() : WorkflowThreadObserver.all(all);
    }
}
