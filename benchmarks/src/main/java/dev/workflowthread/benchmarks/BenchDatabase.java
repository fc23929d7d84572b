package dev.workflowthread.benchmarks;

import dev.workflowthread.inmemory.InMemoryThreadStore;
import dev.workflowthread.jdbc.JdbcThreadStore;
import dev.workflowthread.jdbc.JdbcThreadStoreBuilder;
import dev.workflowthread.redis.RedisChangeSignals;
import dev.workflowthread.spi.ThreadStore;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Locale;

/**
 * The stores a benchmark runs on, named as its {@code store} parameter: {@code memory},
 * {@code h2}, {@code postgresql}, {@code mariadb}. PostgreSQL and MariaDB are found at the URLs in
 * {@code WORKFLOW_THREAD_TEST_POSTGRES_URL} and {@code WORKFLOW_THREAD_TEST_MARIADB_URL} (the
 * same variables as the tests; defaults: the loopback services of DEVELOPERS.md). H2 runs in the
 * benchmark's JVM, in memory; a benchmark with a second process serves it over TCP instead
 * ({@link H2Server}).
 */
public enum BenchDatabase {
    MEMORY(null, null),
    H2(null, "jdbc:h2:mem:wt_bench;DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=20000"),
    POSTGRESQL("WORKFLOW_THREAD_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres"),
    MARIADB("WORKFLOW_THREAD_TEST_MARIADB_URL", "jdbc:mariadb://127.0.0.1:3306/test?user=root");

    /** The Redis of the benchmarks with Redis change signals. */
    public static final String REDIS_URI = System.getenv().getOrDefault("WORKFLOW_THREAD_TEST_REDIS_URI",
            "redis://127.0.0.1:6379");

    private final String url;

    BenchDatabase(String variable, String defaultUrl) {
        String configured = variable == null ? null : System.getenv(variable);
        this.url = configured == null || configured.isBlank() ? defaultUrl : configured;
    }

    /** The database named by a benchmark's {@code store} parameter. */
    public static BenchDatabase named(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }

    /** The parameter's name for this database. */
    public String parameter() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The JDBC URL, or null for the in-memory store. */
    public String url() {
        return url;
    }

    public boolean isJdbc() {
        return url != null;
    }

    /** Why the database cannot be used now, or null when it can. */
    public String unavailableReason() {
        if (!isJdbc()) {
            return null;
        }
        try (Connection connection = DriverManager.getConnection(url)) {
            connection.isValid(5);
            return null;
        } catch (SQLException e) {
            return "cannot connect to " + url.replaceAll("\\?.*", "") + ": " + e.getMessage();
        }
    }

    /** A store with the library's defaults, on tables of {@code prefix} (emptied first). */
    public ThreadStore freshStore(String prefix, int poolSize) {
        return freshStore(url, prefix, poolSize);
    }

    /** As {@link #freshStore(String, int)}, with group commit on or off ({@link JdbcThreadStoreBuilder#groupCommit}). */
    public ThreadStore freshStore(String prefix, int poolSize, boolean groupCommit) {
        if (!isJdbc()) {
            return InMemoryThreadStore.create();
        }
        dropTables(url, prefix);
        return builder(url, prefix, poolSize).groupCommit(groupCommit).build();
    }

    /** As {@link #freshStore(String, int)}, on this kind of database at {@code jdbcUrl}. */
    public ThreadStore freshStore(String jdbcUrl, String prefix, int poolSize) {
        if (!isJdbc()) {
            return InMemoryThreadStore.create();
        }
        dropTables(jdbcUrl, prefix);
        return store(jdbcUrl, prefix, poolSize);
    }

    /** A store with the library's defaults on the tables of {@code prefix} as they are. */
    public static JdbcThreadStore store(String jdbcUrl, String prefix, int poolSize) {
        return builder(jdbcUrl, prefix, poolSize).build();
    }

    /**
     * As {@link #store(String, String, int)}, woken by Redis change signals on {@code channel} of
     * the Redis at {@code WORKFLOW_THREAD_TEST_REDIS_URI} (default: the loopback service).
     */
    public static JdbcThreadStore storeWithRedis(String jdbcUrl, String prefix, int poolSize, String channel) {
        return builder(jdbcUrl, prefix, poolSize)
                .changeSignals(RedisChangeSignals.builder().uri(REDIS_URI).channel(channel).build())
                .build();
    }

    private static JdbcThreadStoreBuilder builder(String jdbcUrl, String prefix, int poolSize) {
        return JdbcThreadStore.builder()
                .url(jdbcUrl)
                .maximumPoolSize(poolSize)
                .connectionTimeout(Duration.ofSeconds(30))
                .tablePrefix(prefix);
    }

    /** Drops the library's tables of {@code prefix}. */
    public static void dropTables(String jdbcUrl, String prefix) {
        try (Connection connection = DriverManager.getConnection(jdbcUrl);
             Statement statement = connection.createStatement()) {
            statement.execute("DROP TABLE IF EXISTS " + prefix + "workflow_messages");
            statement.execute("DROP TABLE IF EXISTS " + prefix + "workflow_thread_state");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot drop the tables of " + prefix, e);
        }
    }
}
