package dev.workflowthread.spring;

import dev.workflowthread.WorkflowThreadObserver;
import dev.workflowthread.jdbc.JdbcThreadStore;
import dev.workflowthread.spi.ThreadStore;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The JDBC store on the application's one {@code DataSource}, unless it has a store of its own. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnSingleCandidate(DataSource.class)
@ConditionalOnMissingBean(ThreadStore.class)
class JdbcStoreConfiguration {

    /** Built after Flyway or Liquibase migrated the database; closed with the context (the DataSource is not). */
    @Bean(destroyMethod = "close")
    @DependsOnDatabaseInitialization
    JdbcThreadStore workflowThreadStore(DataSource dataSource, WorkflowThreadProperties properties,
                                        ObjectProvider<WorkflowThreadObserver> observers) {
        return Settings.jdbc(properties.getJdbc()).dataSource(dataSource)
                .observer(WorkflowThreadAutoConfiguration.combined(observers)).build();
    }
}
