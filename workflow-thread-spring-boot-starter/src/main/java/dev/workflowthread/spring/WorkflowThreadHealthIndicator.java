package dev.workflowthread.spring;

import dev.workflowthread.WorkflowThreadObserver;
import dev.workflowthread.jdbc.JdbcThreadStore;
import dev.workflowthread.spi.ThreadStore;
import java.util.Optional;
import java.util.function.Supplier;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * The health of workflow-thread: UP while the store answers a read and the service hears other
 * processes' commits (on PostgreSQL its {@code LISTEN} connection is up; elsewhere its polling
 * reads succeed), DOWN otherwise. Details: the store, the JDBC dialect and notification channel,
 * whether other processes are heard, and how many workflows this JVM watches.
 */
public final class WorkflowThreadHealthIndicator extends AbstractHealthIndicator {
    /** A workflow id no host uses: reading its state shows the store answers, whatever it finds. */
    static final long PROBE_WORKFLOW_ID = Long.MAX_VALUE;

    private final ThreadStore store;
    private final Supplier<Optional<WorkflowThreadObserver.Gauges>> gauges;

    /**
     * A health indicator of {@code store}, and of the service whose gauges {@code gauges} gives
     * once it is built (empty: only the store is looked at).
     *
     * @param store  the store to read from
     * @param gauges the service's gauges, when known
     */
    public WorkflowThreadHealthIndicator(ThreadStore store, Supplier<Optional<WorkflowThreadObserver.Gauges>> gauges) {
        super("workflow-thread health check failed");
        this.store = store;
        this.gauges = gauges;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        builder.withDetail("store", store.getClass().getSimpleName());
        if (store instanceof JdbcThreadStore jdbc) {
            builder.withDetail("dialect", jdbc.dialect().name().toLowerCase(java.util.Locale.ROOT));
            jdbc.notificationChannel().ifPresent(channel -> builder.withDetail("notificationChannel", channel));
        }
        store.findState(PROBE_WORKFLOW_ID);
        Optional<WorkflowThreadObserver.Gauges> live = gauges.get();
        if (live.isEmpty()) {
            builder.up();
            return;
        }
        boolean hearing = live.get().hearingOtherProcesses();
        builder.withDetail("hearingOtherProcesses", hearing).withDetail("watchedWorkflows", live.get().watchedWorkflows());
        if (hearing || !store.notifiesAllChanges()) {
            builder.up();
        } else {
            builder.down().withDetail("reason", "the store answers, but does not hear other processes' commits now"
                    + " (its LISTEN connection or its polling failed); checkpoints poll the store meanwhile");
        }
    }
}
