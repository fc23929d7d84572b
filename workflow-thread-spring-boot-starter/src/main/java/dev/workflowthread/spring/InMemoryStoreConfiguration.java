package dev.workflowthread.spring;

import dev.workflowthread.inmemory.InMemoryThreadStore;
import dev.workflowthread.spi.ThreadStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Without a {@code DataSource} (and no store of the application's): the in-memory store, and a warning. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnMissingBean(ThreadStore.class)
class InMemoryStoreConfiguration {
    private static final Logger LOG = LoggerFactory.getLogger(WorkflowThreadAutoConfiguration.class);

    @Bean(destroyMethod = "close")
    InMemoryThreadStore workflowThreadStore() {
        LOG.warn("workflow-thread: the application has no single DataSource, so the threads are kept in memory:"
                + " nothing persists across a restart and no other process sees them. Add a DataSource (for"
                + " instance spring-boot-starter-jdbc and a JDBC driver) or a ThreadStore bean.");
        return InMemoryThreadStore.create();
    }
}
