package dev.workflowthread.spring;

import dev.workflowthread.WorkflowThreadConfig;
import dev.workflowthread.jdbc.JdbcThreadStore;
import dev.workflowthread.jdbc.JdbcThreadStoreBuilder;

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
        set("paused-check-interval", () -> builder.pausedCheckInterval(properties.getPausedCheckInterval()));
        set("pause-timeout", () -> builder.pauseTimeout(properties.getPauseTimeout()));
        set("pause-timeout-outcome", () -> builder.pauseTimeoutOutcome(properties.getPauseTimeoutOutcome()));
        set("heartbeat-interval", () -> builder.heartbeatInterval(properties.getHeartbeatInterval()));
        set("lease-duration", () -> builder.leaseDuration(properties.getLeaseDuration()));
        return builder;
    }

    static JdbcThreadStoreBuilder jdbc(WorkflowThreadProperties.Jdbc properties) {
        JdbcThreadStoreBuilder builder = JdbcThreadStore.builder();
        set("jdbc.table-prefix", () -> builder.tablePrefix(properties.getTablePrefix()));
        set("jdbc.schema-mode", () -> builder.schemaMode(properties.getSchemaMode()));
        set("jdbc.change-poll-interval", () -> builder.changePollInterval(properties.getChangePollInterval()));
        set("jdbc.notifications", () -> builder.notifications(properties.isNotifications()));
        set("jdbc.reconcile-interval", () -> builder.reconcileInterval(properties.getReconcileInterval()));
        return builder;
    }

    /** The WebSocket's path, checked: it begins with {@code /}, and holds only what a path takes without escaping. */
    static String wsPath(String wsPath) {
        if (wsPath == null || !wsPath.matches("(/[A-Za-z0-9._~-]+)+")) {
            throw new IllegalArgumentException(WorkflowThreadProperties.PREFIX + ".web.ws-path: must begin with / and hold"
                    + " only letters, digits and . _ ~ - between the slashes, but was '" + wsPath + "'");
        }
        return wsPath;
    }

    /** Runs a builder's setter, naming {@code property} (below {@code workflow-thread.}) when it refuses its value. */
    static void set(String property, Runnable setter) {
        try {
            setter.run();
        } catch (IllegalArgumentException | NullPointerException e) {
            String detail = e.getMessage() == null ? "must not be empty" : e.getMessage();
            throw new IllegalArgumentException(WorkflowThreadProperties.PREFIX + "." + property + ": " + detail, e);
        }
    }
}
