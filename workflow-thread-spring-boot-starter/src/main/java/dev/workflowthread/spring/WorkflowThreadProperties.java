package dev.workflowthread.spring;

import dev.workflowthread.PauseTimeoutOutcome;
import dev.workflowthread.jdbc.SchemaMode;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code workflow-thread.*} properties: every setting of
 * {@link dev.workflowthread.WorkflowThreadConfig} and, under {@code workflow-thread.jdbc.*}, of
 * the JDBC store built on the application's {@code DataSource}. The defaults are the library's.
 * A value the library refuses fails the application's start with the property named.
 */
@ConfigurationProperties(prefix = WorkflowThreadProperties.PREFIX)
public class WorkflowThreadProperties {
    /** The prefix of every property. */
    public static final String PREFIX = "workflow-thread";

    /** The most UTF-8 bytes of a message's content, and of its metadata as JSON (at most 4 MiB). */
    private int maxContentBytes = 65_536;
    /**
     * How often a paused checkpoint looks at the store besides being woken; with a store that
     * cannot tell this JVM of every change, how long check() answers from memory.
     */
    private Duration pausedCheckInterval = Duration.ofMillis(250);
    /** How long a checkpoint stays paused before the pause-timeout-outcome. */
    private Duration pauseTimeout = Duration.ofMinutes(30);
    /** What happens when a pause times out: cancel, fail or resume. */
    private PauseTimeoutOutcome pauseTimeoutOutcome = PauseTimeoutOutcome.CANCEL;
    /** How often a paused checkpoint logs that it is alive and waiting. */
    private Duration heartbeatInterval = Duration.ofMinutes(1);
    /**
     * How long a checkpoint holds a message it took: an instruction not answered in that time is
     * handed over again, a message held by a crashed process is taken again.
     */
    private Duration leaseDuration = Duration.ofMinutes(5);

    private final Jdbc jdbc = new Jdbc();
    private final Web web = new Web();

    /**
     * The most UTF-8 bytes of a message's content.
     *
     * @return the limit; default 65,536
     */
    public int getMaxContentBytes() {
        return maxContentBytes;
    }

    /**
     * Sets the most UTF-8 bytes of a message's content.
     *
     * @param maxContentBytes from 1 to 4 MiB
     */
    public void setMaxContentBytes(int maxContentBytes) {
        this.maxContentBytes = maxContentBytes;
    }

    /**
     * How often a paused checkpoint looks at the store.
     *
     * @return the interval; default 250 ms
     */
    public Duration getPausedCheckInterval() {
        return pausedCheckInterval;
    }

    /**
     * Sets how often a paused checkpoint looks at the store.
     *
     * @param pausedCheckInterval a positive duration
     */
    public void setPausedCheckInterval(Duration pausedCheckInterval) {
        this.pausedCheckInterval = pausedCheckInterval;
    }

    /**
     * How long a checkpoint stays paused before the outcome.
     *
     * @return the timeout; default 30 minutes
     */
    public Duration getPauseTimeout() {
        return pauseTimeout;
    }

    /**
     * Sets how long a checkpoint stays paused before the outcome.
     *
     * @param pauseTimeout a positive duration
     */
    public void setPauseTimeout(Duration pauseTimeout) {
        this.pauseTimeout = pauseTimeout;
    }

    /**
     * What happens when a pause times out.
     *
     * @return the outcome; default cancel
     */
    public PauseTimeoutOutcome getPauseTimeoutOutcome() {
        return pauseTimeoutOutcome;
    }

    /**
     * Sets what happens when a pause times out.
     *
     * @param pauseTimeoutOutcome cancel, fail or resume
     */
    public void setPauseTimeoutOutcome(PauseTimeoutOutcome pauseTimeoutOutcome) {
        this.pauseTimeoutOutcome = pauseTimeoutOutcome;
    }

    /**
     * How often a paused checkpoint logs that it is waiting.
     *
     * @return the interval; default 1 minute
     */
    public Duration getHeartbeatInterval() {
        return heartbeatInterval;
    }

    /**
     * Sets how often a paused checkpoint logs that it is waiting.
     *
     * @param heartbeatInterval a positive duration
     */
    public void setHeartbeatInterval(Duration heartbeatInterval) {
        this.heartbeatInterval = heartbeatInterval;
    }

    /**
     * How long a checkpoint holds a message it took.
     *
     * @return the lease; default 5 minutes
     */
    public Duration getLeaseDuration() {
        return leaseDuration;
    }

    /**
     * Sets how long a checkpoint holds a message it took.
     *
     * @param leaseDuration a positive duration
     */
    public void setLeaseDuration(Duration leaseDuration) {
        this.leaseDuration = leaseDuration;
    }

    /**
     * The settings of the JDBC store.
     *
     * @return the {@code workflow-thread.jdbc.*} properties
     */
    public Jdbc getJdbc() {
        return jdbc;
    }

    /**
     * The settings of the REST API, the WebSocket and the page.
     *
     * @return the {@code workflow-thread.web.*} properties
     */
    public Web getWeb() {
        return web;
    }

    /** The {@code workflow-thread.web.*} properties: the REST API, the WebSocket and the page, in a Spring MVC application. */
    public static class Web {
        /** Whether to serve the REST API, the WebSocket and the page. */
        private boolean enabled = true;
        /** The REST API's prefix: a path such as /api, or empty for the root. */
        private String apiPath = "/api";
        /** The WebSocket's path. */
        private String wsPath = "/ws";
        /** Where the conversation page is served (and its workflows/{id} below it), beginning and ending with /. */
        private String pagePath = "/threads/";
        /** How long a WebSocket may be silent before it is sent a heartbeat; 0 for none. */
        private Duration heartbeat = Duration.ofSeconds(15);

        /**
         * Whether the web endpoints are served.
         *
         * @return default true
         */
        public boolean isEnabled() {
            return enabled;
        }

        /**
         * Sets whether the web endpoints are served.
         *
         * @param enabled false to serve none
         */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        /**
         * The REST API's prefix.
         *
         * @return default {@code /api}
         */
        public String getApiPath() {
            return apiPath;
        }

        /**
         * Sets the REST API's prefix.
         *
         * @param apiPath a path such as {@code /api}; not empty, since the starter serves the page beside it
         */
        public void setApiPath(String apiPath) {
            this.apiPath = apiPath;
        }

        /**
         * The WebSocket's path.
         *
         * @return default {@code /ws}
         */
        public String getWsPath() {
            return wsPath;
        }

        /**
         * Sets the WebSocket's path.
         *
         * @param wsPath a path beginning with {@code /}
         */
        public void setWsPath(String wsPath) {
            this.wsPath = wsPath;
        }

        /**
         * Where the page is served.
         *
         * @return default {@code /threads/}
         */
        public String getPagePath() {
            return pagePath;
        }

        /**
         * Sets where the page is served.
         *
         * @param pagePath a path beginning and ending with {@code /}
         */
        public void setPagePath(String pagePath) {
            this.pagePath = pagePath;
        }

        /**
         * How long a WebSocket may be silent before a heartbeat.
         *
         * @return default 15 s
         */
        public Duration getHeartbeat() {
            return heartbeat;
        }

        /**
         * Sets how long a WebSocket may be silent before a heartbeat.
         *
         * @param heartbeat positive, or zero for none
         */
        public void setHeartbeat(Duration heartbeat) {
            this.heartbeat = heartbeat;
        }
    }

    /** The {@code workflow-thread.jdbc.*} properties: the JDBC store on the application's DataSource. */
    public static class Jdbc {
        /** A prefix for the table names: empty, or up to 40 of a-z, 0-9 and _, starting with a letter. */
        private String tablePrefix = "";
        /**
         * What the store does about its tables at start: create what is missing (then validate),
         * validate only (the application's Flyway or Liquibase runs the shipped scripts), or nothing.
         */
        private SchemaMode schemaMode = SchemaMode.CREATE;
        /**
         * How often the store reads the watched workflows' versions to see other processes'
         * changes, on databases without notifications (H2, MySQL/MariaDB, PostgreSQL with
         * notifications off); from 10 ms to 1 minute.
         */
        private Duration changePollInterval = Duration.ofMillis(100);
        /**
         * On PostgreSQL, whether to hear other processes' changes through LISTEN/NOTIFY rather than
         * by polling; every process sharing the tables must use the same setting.
         */
        private boolean notifications = true;
        /**
         * On PostgreSQL with notifications, how often the listening connection also reads the
         * watched workflows' versions; at least 10 ms.
         */
        private Duration reconcileInterval = Duration.ofSeconds(2);

        /**
         * The table prefix.
         *
         * @return the prefix; default empty
         */
        public String getTablePrefix() {
            return tablePrefix;
        }

        /**
         * Sets the table prefix.
         *
         * @param tablePrefix empty, or up to 40 of a-z, 0-9 and _, starting with a letter
         */
        public void setTablePrefix(String tablePrefix) {
            this.tablePrefix = tablePrefix;
        }

        /**
         * What the store does about its tables at start.
         *
         * @return the mode; default create
         */
        public SchemaMode getSchemaMode() {
            return schemaMode;
        }

        /**
         * Sets what the store does about its tables at start.
         *
         * @param schemaMode create, validate or none
         */
        public void setSchemaMode(SchemaMode schemaMode) {
            this.schemaMode = schemaMode;
        }

        /**
         * How often the store reads other processes' changes without notifications.
         *
         * @return the interval; default 100 ms
         */
        public Duration getChangePollInterval() {
            return changePollInterval;
        }

        /**
         * Sets how often the store reads other processes' changes without notifications.
         *
         * @param changePollInterval from 10 ms to 1 minute
         */
        public void setChangePollInterval(Duration changePollInterval) {
            this.changePollInterval = changePollInterval;
        }

        /**
         * Whether PostgreSQL's LISTEN/NOTIFY is used.
         *
         * @return default true
         */
        public boolean isNotifications() {
            return notifications;
        }

        /**
         * Sets whether PostgreSQL's LISTEN/NOTIFY is used.
         *
         * @param notifications true to listen and notify
         */
        public void setNotifications(boolean notifications) {
            this.notifications = notifications;
        }

        /**
         * How often the listening connection reads the watched workflows' versions.
         *
         * @return the interval; default 2 s
         */
        public Duration getReconcileInterval() {
            return reconcileInterval;
        }

        /**
         * Sets how often the listening connection reads the watched workflows' versions.
         *
         * @param reconcileInterval at least 10 ms
         */
        public void setReconcileInterval(Duration reconcileInterval) {
            this.reconcileInterval = reconcileInterval;
        }
    }
}
