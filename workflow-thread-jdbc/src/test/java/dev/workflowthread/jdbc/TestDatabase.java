package dev.workflowthread.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;

/**
 * The databases the tests run on. H2 is always there (in memory); PostgreSQL and MariaDB are the
 * machine's services, found at the URLs in {@code WORKFLOW_THREAD_TEST_POSTGRES_URL} and
 * {@code WORKFLOW_THREAD_TEST_MARIADB_URL} (defaults: the loopback services of DEVELOPERS.md). A
 * database that cannot be reached skips its tests, saying why, unless it is named in
 * {@code WORKFLOW_THREAD_TEST_REQUIRE} (as CI does): then its tests fail. Public for the tests of
 * the modules built on this one.
 */
public enum TestDatabase {
    H2("H2", null, "jdbc:h2:mem:workflow_thread_tests;DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=20000"),
    POSTGRESQL("PostgreSQL", "WORKFLOW_THREAD_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres"),
    MARIADB("MariaDB", "WORKFLOW_THREAD_TEST_MARIADB_URL", "jdbc:mariadb://127.0.0.1:3306/test?user=root");

    private static final Set<String> REQUIRED = Arrays.stream(
                    System.getenv().getOrDefault("WORKFLOW_THREAD_TEST_REQUIRE", "").split(","))
            .map(name -> name.strip().toLowerCase(Locale.ROOT))
            .filter(name -> !name.isEmpty())
            .collect(Collectors.toSet());

    private final String displayName;
    private final String url;
    private volatile HikariDataSource pool;
    private volatile String unavailable;
    private volatile boolean probed;

    TestDatabase(String displayName, String variable, String defaultUrl) {
        this.displayName = displayName;
        String configured = variable == null ? null : System.getenv(variable);
        this.url = configured == null || configured.isBlank() ? defaultUrl : configured;
    }

    /**
     * Whether {@code WORKFLOW_THREAD_TEST_REQUIRE} names {@code service} (a database here, or
     * another service the tests use, such as {@code redis}): its tests must then fail, not skip,
     * when it cannot be reached.
     */
    public static boolean isRequired(String service) {
        return REQUIRED.contains(service.toLowerCase(Locale.ROOT));
    }

    public String url() {
        return url;
    }

    public String displayName() {
        return displayName;
    }

    /**
     * Skips the calling test (or class) when the database cannot be reached, printing why; fails
     * instead when the database is required.
     */
    public void assumeAvailable() {
        String reason = unavailableReason();
        if (reason == null) {
            return;
        }
        if (isRequired(name())) {
            throw new IllegalStateException(displayName + " is required (WORKFLOW_THREAD_TEST_REQUIRE) but " + reason);
        }
        System.out.println("SKIPPED: tests on " + displayName + ": " + reason);
        Assumptions.abort(displayName + " tests skipped: " + reason);
    }

    private synchronized String unavailableReason() {
        if (!probed) {
            probed = true;
            try (Connection connection = DriverManager.getConnection(url)) {
                connection.isValid(5);
            } catch (SQLException e) {
                unavailable = "cannot connect to " + Connections.withoutParameters(url) + " (" + e.getMessage()
                        + "); start it as DEVELOPERS.md says, or set " + (this == POSTGRESQL
                        ? "WORKFLOW_THREAD_TEST_POSTGRES_URL" : "WORKFLOW_THREAD_TEST_MARIADB_URL");
            }
        }
        return unavailable;
    }

    /** A pool shared by the tests of this JVM; stores built on it do not close it. */
    public synchronized HikariDataSource dataSource() {
        if (pool == null) {
            pool = newPool(24);
        }
        return pool;
    }

    /** A pool of the test's own, to close. */
    HikariDataSource newPool(int size) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setMaximumPoolSize(size);
        config.setConnectionTimeout(10_000);
        config.setPoolName("test-" + name().toLowerCase(Locale.ROOT));
        return new HikariDataSource(config);
    }

    /** Drops the store's tables of {@code prefix}, so a test class starts from an empty database. */
    public void dropTables(String prefix) {
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
            statement.execute("DROP TABLE IF EXISTS " + prefix + "workflow_messages");
            statement.execute("DROP TABLE IF EXISTS " + prefix + "workflow_thread_state");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot drop the tables of " + prefix + " on " + displayName, e);
        }
    }

    /** A store on the shared pool, with tables of {@code prefix} created if missing. */
    JdbcThreadStore store(String prefix) {
        return JdbcThreadStore.builder().dataSource(dataSource()).tablePrefix(prefix).build();
    }

    /**
     * A URL for this database whose sessions {@link #killSessionsOf} finds: on PostgreSQL with
     * {@code tag} as the application name, on MariaDB as a user named {@code tag} (created, with
     * all rights on the test database, if missing).
     */
    String taggedUrl(String tag) throws SQLException {
        switch (this) {
            case POSTGRESQL:
                return url + (url.contains("?") ? "&" : "?") + "ApplicationName=" + tag;
            case MARIADB:
                try (Connection admin = DriverManager.getConnection(url); Statement statement = admin.createStatement()) {
                    statement.execute("CREATE USER IF NOT EXISTS '" + tag + "'@'%'");
                    statement.execute("GRANT ALL PRIVILEGES ON `" + admin.getCatalog() + "`.* TO '" + tag + "'@'%'");
                }
                String withoutUser = url.replaceAll("([?&])(user|password)=[^&]*&?", "$1").replaceAll("[?&]$", "");
                return withoutUser + (withoutUser.contains("?") ? "&" : "?") + "user=" + tag;
            default:
                throw new UnsupportedOperationException("H2 is stopped as a server instead");
        }
    }

    /** Cuts every session opened with {@link #taggedUrl}{@code (tag)}; returns how many there were. */
    int killSessionsOf(String tag) throws SQLException {
        String query = this == POSTGRESQL
                ? "SELECT pid FROM pg_stat_activity WHERE application_name = '" + tag + "'"
                : "SELECT id FROM information_schema.processlist WHERE user = '" + tag + "'";
        List<Long> sessions = new ArrayList<>();
        try (Connection admin = DriverManager.getConnection(url); Statement statement = admin.createStatement();
             ResultSet rs = statement.executeQuery(query)) {
            while (rs.next()) {
                sessions.add(rs.getLong(1));
            }
        }
        for (long session : sessions) {
            try {
                kill(session);
            } catch (SQLException e) {
                // It ended by itself between the query and the kill.
            }
        }
        return sessions.size();
    }

    /** The server's id of a connection's session: what {@link #kill} takes. */
    long sessionId(Connection connection) throws SQLException {
        String query = switch (this) {
            case POSTGRESQL -> "SELECT pg_backend_pid()";
            case MARIADB -> "SELECT CONNECTION_ID()";
            case H2 -> "SELECT SESSION_ID()";
        };
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * Cuts a session from the server's side, as a crashed network or an administrator would, and
     * returns once the server has let it go.
     */
    void kill(long sessionId) throws SQLException {
        try (Connection admin = DriverManager.getConnection(url); Statement statement = admin.createStatement()) {
            switch (this) {
                case POSTGRESQL -> statement.execute("SELECT pg_terminate_backend(" + sessionId + ")");
                case MARIADB -> statement.execute("KILL CONNECTION " + sessionId);
                case H2 -> throw new UnsupportedOperationException("H2 is stopped as a server instead");
            }
            String alive = this == POSTGRESQL
                    ? "SELECT COUNT(*) FROM pg_stat_activity WHERE pid = " + sessionId
                    : "SELECT COUNT(*) FROM information_schema.processlist WHERE id = " + sessionId;
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (System.nanoTime() < deadline) {
                try (ResultSet rs = statement.executeQuery(alive)) {
                    rs.next();
                    if (rs.getLong(1) == 0) {
                        return;
                    }
                }
                Thread.onSpinWait();
            }
            throw new IllegalStateException("session " + sessionId + " on " + displayName + " outlived its kill");
        }
    }
}
