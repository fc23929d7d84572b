package dev.workflowthread.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.workflowthread.ActionTaken;
import dev.workflowthread.ActionType;
import dev.workflowthread.PauseTimeoutOutcome;
import dev.workflowthread.RedirectHandler;
import dev.workflowthread.SendPolicy;
import dev.workflowthread.SendRefusedException;
import dev.workflowthread.SendRequest;
import dev.workflowthread.WorkflowMessages;
import dev.workflowthread.WorkflowThreadConfig;
import dev.workflowthread.WorkflowThreadObserver;
import dev.workflowthread.inmemory.InMemoryThreadStore;
import dev.workflowthread.jdbc.JdbcThreadStore;
import dev.workflowthread.jdbc.JdbcThreadStoreBuilder;
import dev.workflowthread.jdbc.SchemaMode;
import dev.workflowthread.spi.ThreadStore;
import dev.workflowthread.tck.SettableClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Each condition of the auto-configuration, in a context of its own. */
class WorkflowThreadAutoConfigurationTest {
    private static final AtomicInteger DATABASES = new AtomicInteger();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(WorkflowThreadAutoConfiguration.class));
    private final Logger configLogger = (Logger) LoggerFactory.getLogger(WorkflowThreadAutoConfiguration.class);
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();

    @BeforeEach
    void captureLogs() {
        logged.start();
        configLogger.addAppender(logged);
    }

    @AfterEach
    void releaseLogs() {
        configLogger.detachAppender(logged);
    }

    /** The runner with an H2 database of its own as the application's DataSource. */
    private ApplicationContextRunner withDatabase() {
        return runner.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class))
                .withPropertyValues("spring.datasource.url=jdbc:h2:mem:starter" + DATABASES.incrementAndGet()
                        + ";DB_CLOSE_DELAY=-1");
    }

    @Test
    void withoutADataSourceTheThreadsAreKeptInMemoryWithAWarning() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(InMemoryThreadStore.class).hasSingleBean(WorkflowMessages.class);
            WorkflowMessages messages = context.getBean(WorkflowMessages.class);
            messages.start(1);
            assertThat(messages.pause(1, "works").actionTaken()).isEqualTo(ActionTaken.PAUSE_REQUESTED);
        });
        assertThat(logged.list).filteredOn(e -> e.getLevel() == Level.WARN).singleElement()
                .extracting(ILoggingEvent::getFormattedMessage).asString()
                .contains("kept in memory").contains("nothing persists");
    }

    @Test
    void withADataSourceTheJdbcStoreIsBuiltOnItWithThePropertiesAndNoWarning() {
        withDatabase().withPropertyValues(
                "workflow-thread.max-content-bytes=1000",
                "workflow-thread.paused-check-interval=40ms",
                "workflow-thread.pause-timeout=2m",
                "workflow-thread.pause-timeout-outcome=resume",
                "workflow-thread.heartbeat-interval=10s",
                "workflow-thread.lease-duration=90s",
                "workflow-thread.jdbc.table-prefix=wt_spring_",
                "workflow-thread.jdbc.change-poll-interval=50ms",
                "workflow-thread.jdbc.reconcile-interval=3s",
                "workflow-thread.jdbc.notifications=false").run(context -> {
                    assertThat(context).hasNotFailed().doesNotHaveBean(InMemoryThreadStore.class);
                    JdbcThreadStore store = context.getBean(JdbcThreadStore.class);
                    assertThat(store.stateTable()).isEqualTo("wt_spring_workflow_thread_state");
                    WorkflowThreadConfig config = context.getBean(WorkflowMessages.class).config();
                    assertThat(config.maxContentBytes()).isEqualTo(1000);
                    assertThat(config.pausedCheckInterval()).isEqualTo(Duration.ofMillis(40));
                    assertThat(config.pauseTimeout()).isEqualTo(Duration.ofMinutes(2));
                    assertThat(config.pauseTimeoutOutcome()).isEqualTo(PauseTimeoutOutcome.RESUME);
                    assertThat(config.heartbeatInterval()).isEqualTo(Duration.ofSeconds(10));
                    assertThat(config.leaseDuration()).isEqualTo(Duration.ofSeconds(90));
                    WorkflowMessages messages = context.getBean(WorkflowMessages.class);
                    messages.start(2);
                    messages.send(2, SendRequest.of(ActionType.COMMENT, "stored in H2"));
                    assertThat(store.readAfter(2, 0, 10)).singleElement()
                            .satisfies(m -> assertThat(m.content()).isEqualTo("stored in H2"));
                });
        assertThat(logged.list).noneMatch(e -> e.getLevel() == Level.WARN);
    }

    @Test
    void aRefusedPropertyValueFailsTheStartNamingTheProperty() {
        withDatabase().withPropertyValues("workflow-thread.paused-check-interval=0s").run(context ->
                assertThat(context).getFailure().hasStackTraceContaining(
                        "workflow-thread.paused-check-interval: pausedCheckInterval must be positive, but was PT0S"));
        withDatabase().withPropertyValues("workflow-thread.jdbc.table-prefix=Bad-Prefix").run(context ->
                assertThat(context).getFailure().hasStackTraceContaining("workflow-thread.jdbc.table-prefix: "));
        runner.withPropertyValues("workflow-thread.max-content-bytes=0").run(context ->
                assertThat(context).getFailure().hasStackTraceContaining(
                        "workflow-thread.max-content-bytes: maxContentBytes must be between 1 and"));
    }

    @Test
    void theDefaultPropertiesAreTheLibrarysDefaults() {
        WorkflowThreadConfig fromProperties = Settings.config(new WorkflowThreadProperties()).build();
        WorkflowThreadConfig defaults = WorkflowThreadConfig.defaults();
        assertThat(fromProperties).usingRecursiveComparison().comparingOnlyFields("maxContentBytes", "pausedCheckInterval",
                "pauseTimeout", "pauseTimeoutOutcome", "heartbeatInterval", "leaseDuration").isEqualTo(defaults);
        WorkflowThreadProperties.Jdbc jdbc = new WorkflowThreadProperties().getJdbc();
        assertThat(jdbc.getChangePollInterval()).isEqualTo(JdbcThreadStoreBuilder.DEFAULT_CHANGE_POLL_INTERVAL);
        assertThat(jdbc.getReconcileInterval()).isEqualTo(JdbcThreadStoreBuilder.DEFAULT_RECONCILE_INTERVAL);
        assertThat(jdbc.getSchemaMode()).isEqualTo(SchemaMode.CREATE);
        assertThat(jdbc.getTablePrefix()).isEmpty();
        assertThat(jdbc.isNotifications()).isTrue();
    }

    @Test
    void theStoreIsBuiltAfterFlywayRanTheShippedScripts() {
        withDatabase().withConfiguration(AutoConfigurations.of(FlywayAutoConfiguration.class)).withPropertyValues(
                "spring.flyway.locations=classpath:dev/workflowthread/jdbc/schema/h2",
                "spring.flyway.placeholders.table_prefix=wt_flyway_",
                "workflow-thread.jdbc.table-prefix=wt_flyway_",
                "workflow-thread.jdbc.schema-mode=validate").run(context -> {
                    assertThat(context).hasNotFailed();
                    WorkflowMessages messages = context.getBean(WorkflowMessages.class);
                    messages.start(3);
                    assertThat(messages.getState(3).lastSeq()).isZero();
                });
        // Without the scripts, the same validation fails: the tables are Flyway's doing.
        withDatabase().withPropertyValues("workflow-thread.jdbc.table-prefix=wt_flyway_",
                "workflow-thread.jdbc.schema-mode=validate").run(context ->
                assertThat(context).getFailure().hasStackTraceContaining("validate schema"));
    }

    @Test
    void theApplicationsOwnStoreAndServiceWin() {
        InMemoryThreadStore own = InMemoryThreadStore.create();
        withDatabase().withBean(ThreadStore.class, () -> own).run(context -> {
            assertThat(context).doesNotHaveBean(JdbcThreadStore.class);
            assertThat(context.getBean(ThreadStore.class)).isSameAs(own);
            assertThat(context).hasSingleBean(WorkflowMessages.class);
        });
        WorkflowMessages ownService = WorkflowMessages.create(InMemoryThreadStore.create());
        runner.withBean(WorkflowMessages.class, () -> ownService).run(context ->
                assertThat(context).getBean(WorkflowMessages.class).isSameAs(ownService));
    }

    @Test
    void theApplicationsRedirectHandlerSendPolicyObserversAndCustomizersAreApplied() {
        RedirectHandler redirects = request -> request.originalWorkflowId() + 1000;
        SendPolicy policy = (state, request) -> "mallory".equals(request.author())
                ? SendPolicy.Decision.deny("not on this team") : SendPolicy.Decision.allow();
        List<String> told = new CopyOnWriteArrayList<>();
        WorkflowThreadObserver observer = new WorkflowThreadObserver() {
            @Override
            public void messageSent(long workflowId, ActionType actionType, ActionTaken taken) {
                told.add(workflowId + " " + actionType.wireName());
            }
        };
        SettableClock clock = SettableClock.atNow();
        runner.withBean(RedirectHandler.class, () -> redirects)
                .withBean(SendPolicy.class, () -> policy)
                .withBean("hostObserver", WorkflowThreadObserver.class, () -> observer)
                .withBean(WorkflowThreadConfigCustomizer.class, () -> builder -> builder.clock(clock))
                .run(context -> {
                    WorkflowMessages messages = context.getBean(WorkflowMessages.class);
                    assertThat(messages.config().redirectHandler()).isSameAs(redirects);
                    assertThat(messages.config().sendPolicy()).isSameAs(policy);
                    assertThat(messages.config().clock()).isSameAs(clock);
                    messages.start(4);
                    messages.send(4, SendRequest.of(ActionType.COMMENT, "hello"));
                    assertThatThrownBy(() -> messages.send(4, new SendRequest("hi", ActionType.COMMENT, null,
                            "mallory"))).isInstanceOf(SendRefusedException.class);
                    assertThat(told).containsExactly("4 comment");
                });
    }

    @Test
    void onShutdownTheServiceClosesBeforeTheStoreAndTheStoreMadeHereCloses() {
        JdbcThreadStore[] made = new JdbcThreadStore[1];
        withDatabase().run(context -> made[0] = context.getBean(JdbcThreadStore.class));
        assertThatThrownBy(() -> made[0].findState(1)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");

        AtomicReference<WorkflowMessages> service = new AtomicReference<>();
        AtomicReference<Boolean> serviceClosedFirst = new AtomicReference<>();
        InMemoryThreadStore real = InMemoryThreadStore.create();
        ThreadStore watched = (ThreadStore) Proxy.newProxyInstance(ThreadStore.class.getClassLoader(),
                new Class<?>[] {ThreadStore.class}, (self, method, args) -> {
                    if (method.getName().equals("close")) {
                        serviceClosedFirst.set(isClosed(service.get()));
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        runner.withBean(ThreadStore.class, () -> watched)
                .run(context -> service.set(context.getBean(WorkflowMessages.class)));
        assertThat(serviceClosedFirst.get()).as("the service was closed when the store closed").isTrue();
    }

    private static boolean isClosed(WorkflowMessages messages) {
        try {
            messages.getState(1);
            return false;
        } catch (IllegalStateException e) {
            return e.getMessage().contains("closed");
        } catch (RuntimeException e) {
            return false;
        }
    }
}
