package dev.workflowthread.jdbc;

import java.sql.SQLException;
import java.util.Locale;

/**
 * What differs between the databases the JDBC store supports, and only that. The store picks one
 * from the connection's {@code getDatabaseProductName()}; a host can name one on the
 * {@link JdbcThreadStoreBuilder#dialect builder} instead.
 */
public enum JdbcDialect {
    /** H2 2.x, embedded or server. */
    H2("h2", "%s FORMAT JSON"),
    /** PostgreSQL 12 and later. */
    POSTGRESQL("postgresql", "CAST(%s AS JSONB)"),
    /** MySQL 8.0.16 and later, and MariaDB 10.5 and later. */
    MYSQL("mysql", "%s");

    private final String scriptFolder;
    private final String jsonParameter;

    JdbcDialect(String scriptFolder, String jsonParameter) {
        this.scriptFolder = scriptFolder;
        this.jsonParameter = jsonParameter;
    }

    /**
     * The dialect of a database product name as JDBC reports it.
     *
     * @param productName the name from {@code DatabaseMetaData.getDatabaseProductName()}, matched
     *                    without regard to case ({@code H2}, {@code PostgreSQL}, {@code MySQL}, {@code MariaDB})
     * @return the dialect for that product
     * @throws IllegalArgumentException for a database the store does not support
     */
    public static JdbcDialect fromProductName(String productName) {
        String name = productName == null ? "" : productName.toLowerCase(Locale.ROOT);
        if (name.contains("h2")) {
            return H2;
        }
        if (name.contains("postgresql")) {
            return POSTGRESQL;
        }
        if (name.contains("mysql") || name.contains("mariadb")) {
            return MYSQL;
        }
        throw new IllegalArgumentException("database product '" + productName
                + "' is not supported; the JDBC store supports H2, PostgreSQL, MySQL and MariaDB");
    }

    /**
     * The folder of this database's schema scripts on the classpath, as Flyway takes it:
     * {@code classpath:dev/workflowthread/jdbc/schema/<name>}.
     *
     * @return the scripts' folder, without the {@code classpath:} prefix
     */
    public String schemaLocation() {
        return "dev/workflowthread/jdbc/schema/" + scriptFolder;
    }

    /** The named parameter {@code name}, holding JSON text, written so that the database stores it as JSON. */
    String jsonParameter(String name) {
        return String.format(Locale.ROOT, jsonParameter, ":" + name);
    }

    /** {@link #jsonParameter} as a positional parameter ({@code ?}). */
    String jsonPositional() {
        return String.format(Locale.ROOT, jsonParameter, "?");
    }

    /**
     * True for a failure that the same transaction may succeed on when run again: a deadlock or a
     * serialization failure (SQLState {@code 40001} or {@code 40P01}; MySQL and MariaDB report a deadlock as {@code 40001}).
     */
    static boolean isRetryable(SQLException e) {
        String state = e.getSQLState();
        return "40001".equals(state) || "40P01".equals(state);
    }

    /**
     * True for the error of a schema statement that adds what is already there, on a database
     * without {@code IF NOT EXISTS} for it: MySQL's duplicate column (1060) and duplicate key
     * name (1061). Such a statement is passed over when the store creates its schema.
     */
    boolean isAlreadyApplied(SQLException e) {
        return this == MYSQL && e != null && (e.getErrorCode() == 1060 || e.getErrorCode() == 1061);
    }

    /** True for a duplicate key or another integrity violation (SQLState class {@code 23}). */
    static boolean isIntegrityViolation(SQLException e) {
        String state = e.getSQLState();
        return state != null && state.startsWith("23");
    }
}
