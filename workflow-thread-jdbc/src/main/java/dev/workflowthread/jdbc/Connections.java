package dev.workflowthread.jdbc;

import static dev.workflowthread.jdbc.Transactions.failure;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.jdbi.v3.core.ConnectionFactory;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Handles;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the builder's connections come from: the pool made for a URL, the {@code Jdbi} over a
 * host's pool, the dialect, and on PostgreSQL the listening connection and the schema it reads.
 */
final class Connections {
    private static final Logger LOG = LoggerFactory.getLogger(Connections.class);

    private Connections() {
    }

    /** A HikariCP pool for {@code url}, which drops the connections a failure shows broken. */
    static HikariDataSource pool(String url, String username, String password, int maximumPoolSize,
                                 Duration connectionTimeout) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(username);
        config.setPassword(password);
        config.setMaximumPoolSize(maximumPoolSize);
        config.setConnectionTimeout(connectionTimeout.toMillis());
        config.setPoolName("workflow-thread");
        config.setExceptionOverrideClassName(BrokenConnectionEviction.class.getName());
        try {
            return new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw failure("open a connection pool for " + withoutParameters(url), e);
        }
    }

    /** A {@code Jdbi} of the store's own over a pool. */
    static Jdbi jdbi(DataSource dataSource) {
        Jdbi database = Jdbi.create(dataSource);
        // A host pool may hand out connections with auto-commit off; a read then leaves a
        // transaction open, which the pool rolls back when it takes the connection back, instead
        // of Jdbi failing the read.
        database.getConfig(Handles.class).setForceEndTransactions(false);
        return database;
    }

    /**
     * The listening connections on PostgreSQL, unless the host gave its own: by the URL and
     * credentials of the store's {@code url}, or of a given {@code HikariDataSource}; else
     * connections of the given pool, or of the given {@code Jdbi}.
     */
    static ConnectionFactory listenConnections(String url, String username, String password, DataSource dataSource,
                                               Jdbi database) {
        if (url != null) {
            return () -> DriverManager.getConnection(url, username, password);
        }
        if (dataSource instanceof HikariDataSource hikari && hikari.getJdbcUrl() != null) {
            return likeHikari(hikari);
        }
        if (dataSource != null) {
            return dataSource::getConnection;
        }
        return new ConnectionFactory() {
            private final Map<Connection, Handle> handles = new ConcurrentHashMap<>();

            @Override
            public Connection openConnection() {
                Handle handle = database.open();
                handles.put(handle.getConnection(), handle);
                return handle.getConnection();
            }

            @Override
            public void closeConnection(Connection connection) throws SQLException {
                Handle handle = handles.remove(connection);
                if (handle != null) {
                    handle.close();
                } else {
                    connection.close();
                }
            }
        };
    }

    /** Connections outside the pool, with its URL, credentials, data-source properties and init SQL. */
    private static ConnectionFactory likeHikari(HikariDataSource hikari) {
        Properties properties = new Properties();
        properties.putAll(hikari.getDataSourceProperties());
        if (hikari.getUsername() != null) {
            properties.setProperty("user", hikari.getUsername());
        }
        if (hikari.getPassword() != null) {
            properties.setProperty("password", hikari.getPassword());
        }
        String hikariUrl = hikari.getJdbcUrl();
        String initSql = hikari.getConnectionInitSql();
        return () -> {
            Connection connection = DriverManager.getConnection(hikariUrl, properties);
            if (initSql != null) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute(initSql);
                } catch (SQLException e) {
                    connection.close();
                    throw e;
                }
            }
            return connection;
        };
    }

    /**
     * The schema that holds the state table as the store's pool resolves it (its search path,
     * its connection init SQL), or the current schema when the table does not exist yet.
     */
    static String stateTableSchema(Jdbi database, Tables tables) {
        // The table name is a validated identifier (Tables), so it may stand in the text.
        String query = "SELECT COALESCE((SELECT n.nspname FROM pg_catalog.pg_class c"
                + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE c.oid = to_regclass('" + tables.state() + "')), current_schema(), '')";
        try {
            return database.withHandle(handle -> handle.createQuery(query).mapTo(String.class).one());
        } catch (JdbiException e) {
            throw failure("find the schema of " + tables.state(), e);
        }
    }

    /** Whether pgjdbc, whose API the notifications use, is on the class path. */
    static boolean pgjdbcPresent() {
        try {
            Class.forName("org.postgresql.PGConnection", false, Connections.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            LOG.warn("PostgreSQL's JDBC driver pgjdbc (org.postgresql) is not on the class path, so this store"
                    + " cannot use LISTEN/NOTIFY: it reads the watched workflows' states every poll interval");
            return false;
        }
    }

    static JdbcDialect detect(Jdbi database) {
        try {
            return JdbcDialect.fromProductName(database.withHandle(handle -> {
                try {
                    return handle.getConnection().getMetaData().getDatabaseProductName();
                } catch (SQLException e) {
                    throw failure("read the database's product name", e);
                }
            }));
        } catch (JdbiException e) {
            throw failure("connect to the database", e);
        }
    }

    /** A URL without its query, which may hold a password. */
    static String withoutParameters(String url) {
        int query = url.indexOf('?');
        return query < 0 ? url : url.substring(0, query);
    }
}
