package dev.workflowthread.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.workflowthread.ActionType;
import dev.workflowthread.SendRequest;
import dev.workflowthread.StorageException;
import dev.workflowthread.WorkflowMessages;
import dev.workflowthread.inmemory.InMemoryThreadStore;
import dev.workflowthread.micrometer.MicrometerObserver;
import dev.workflowthread.spi.StoreChangeListener;
import dev.workflowthread.spi.ThreadStore;
import io.micrometer.core.instrument.MeterRegistry;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The health indicator and the meters, when their libraries are there, and not when they are not. */
class HealthAndMetricsAutoConfigurationTest {
    private static final AtomicInteger DATABASES = new AtomicInteger();

    private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(
            AutoConfigurations.of(WorkflowThreadAutoConfiguration.class, WorkflowThreadHealthAutoConfiguration.class,
                    WorkflowThreadMetricsAutoConfiguration.class));

    private final AtomicReference<StoreChangeListener> heard = new AtomicReference<>();
    private final AtomicBoolean failing = new AtomicBoolean();

    /** An in-memory store that fails every read while {@link #failing}, and lets the test tell its listener. */
    private ThreadStore controllableStore() {
        InMemoryThreadStore real = InMemoryThreadStore.create();
        return (ThreadStore) Proxy.newProxyInstance(ThreadStore.class.getClassLoader(), new Class<?>[] {ThreadStore.class},
                (self, method, args) -> {
                    if (method.getName().equals("addChangeListener")) {
                        heard.set((StoreChangeListener) args[0]);
                    }
                    if (failing.get() && method.getName().equals("findState")) {
                        throw new StorageException("read state of workflow " + args[0], "database down", null);
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Test
    void theHealthIsUpOnTheJdbcStoreWithItsDetails() {
        runner.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class))
                .withPropertyValues("spring.datasource.url=jdbc:h2:mem:health" + DATABASES.incrementAndGet()
                        + ";DB_CLOSE_DELAY=-1")
                .run(context -> {
                    context.getBean(WorkflowMessages.class).start(1);
                    context.getBean(WorkflowMessages.class).guard(1);
                    Health health = context.getBean(WorkflowThreadHealthIndicator.class).health(true);
                    assertThat(health.getStatus()).isEqualTo(Status.UP);
                    assertThat(health.getDetails()).containsEntry("store", "JdbcThreadStore")
                            .containsEntry("dialect", "h2").containsEntry("hearingOtherProcesses", true)
                            .containsEntry("watchedWorkflows", 1);
                });
    }

    @Test
    void theHealthIsDownWhileTheStoreFailsOrDoesNotHearOtherProcesses() {
        runner.withBean(ThreadStore.class, this::controllableStore).run(context -> {
            HealthIndicator indicator = context.getBean(WorkflowThreadHealthIndicator.class);
            assertThat(indicator.health(true).getStatus()).isEqualTo(Status.UP);

            heard.get().hearingLost();
            Health deaf = indicator.health(true);
            assertThat(deaf.getStatus()).isEqualTo(Status.DOWN);
            assertThat(deaf.getDetails()).containsEntry("hearingOtherProcesses", false);
            heard.get().hearingRestored();
            assertThat(indicator.health(true).getStatus()).isEqualTo(Status.UP);

            failing.set(true);
            Health down = indicator.health(true);
            assertThat(down.getStatus()).isEqualTo(Status.DOWN);
            assertThat(down.getDetails().get("error").toString()).contains("database down");
            failing.set(false);
            assertThat(indicator.health(true).getStatus()).isEqualTo(Status.UP);
        });
    }

    @Test
    void theHealthIndicatorIsLeftOutWhenDisabledOrWithoutSpringBootHealth() {
        runner.withPropertyValues("management.health.workflow-thread.enabled=false").run(context ->
                assertThat(context).hasNotFailed().doesNotHaveBean(WorkflowThreadHealthIndicator.class));
        runner.withClassLoader(new FilteredClassLoader(HealthIndicator.class)).run(context ->
                assertThat(context).hasNotFailed().doesNotHaveBean(WorkflowThreadHealthIndicator.class)
                        .hasSingleBean(WorkflowMessages.class));
    }

    @Test
    void withAMeterRegistryTheServiceKeepsMeters() {
        runner.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
                CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class)).run(context -> {
                    assertThat(context).hasSingleBean(MicrometerObserver.class);
                    WorkflowMessages messages = context.getBean(WorkflowMessages.class);
                    messages.start(2);
                    messages.send(2, SendRequest.of(ActionType.PAUSE, "meter me"));
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    assertThat(registry.get(MicrometerObserver.MESSAGES_SENT).tag("action", "pause").counter().count())
                            .isEqualTo(1);
                    assertThat(registry.get(MicrometerObserver.WATCHED_WORKFLOWS).gauge().value()).isZero();
                });
    }

    @Test
    void withoutARegistryOrMicrometerThereAreNoMeters() {
        runner.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(MicrometerObserver.class));
        runner.withClassLoader(new FilteredClassLoader(MeterRegistry.class)).run(context ->
                assertThat(context).hasNotFailed().doesNotHaveBean(MicrometerObserver.class)
                        .hasSingleBean(WorkflowMessages.class));
    }
}
