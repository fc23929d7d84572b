package dev.workflowthread.spring;

import dev.workflowthread.WorkflowThreadConfig;
import dev.workflowthread.jdbc.JdbcThreadStore;

/**
 * Hands the {@code workflow-thread.*} properties to the library's builders, naming the property
 * when a builder refuses its value (the builders name only their own setting).
 */
final class Settings {
    private Settings() {
    }

    static WorkflowThreadConfig.Builder config(WorkflowThreadProperties properties) {
        WorkflowThreadConfig.Builder builder = WorkflowThreadConfig.builder();
        set("max-content-bytes", () -> builder.maxContentBytes(properties.getMaxContentBytes()));
        set("poll-interval", () -> builder.pollInterval(properties.getPollInterval()));
        set("pause-timeout", () -> builder.pauseTimeout(properties.getPauseTimeout()));
        set("pause-timeout-outcome", () -> builder.pauseTimeoutOutcome(properties.getPauseTimeoutOutcome()));
        set("heartbeat-interval", () -> builder.heartbeatInterval(properties.getHeartbeatInterval()));
        set("lease-duration", () -> builder.leaseDuration(properties.getLeaseDuration()));
        return builder;
    }

    static JdbcThreadStore.Builder jdbc(WorkflowThreadProperties.Jdbc properties) {
        JdbcThreadStore.Builder builder = JdbcThreadStore.builder();
        set("jdbc.table-prefix", () -> builder.tablePrefix(properties.getTablePrefix()));
        set("jdbc.schema-mode", () -> builder.schemaMode(properties.getSchemaMode()));
        set("jdbc.poll-interval", () -> builder.pollInterval(properties.getPollInterval()));
        set("jdbc.notifications", () -> builder.notifications(properties.isNotifications()));
        set("jdbc.reconcile-interval", () -> builder.reconcileInterval(properties.getReconcileInterval()));
        return builder;
    }

    private static void set(String property, Runnable setter) {
        try {
            setter.run();
        } catch (IllegalArgumentException | NullPointerException e) {
            String detail = e.getMessage() == null ? "must not be empty" : e.getMessage();
            throw new IllegalArgumentException(WorkflowThreadProperties.PREFIX + "." + property + ": " + detail, e);
        }
    }
}
