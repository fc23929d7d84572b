package dev.workflowthread.benchmarks;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The database's floor, beside what the library does on it: a bare round trip ({@code SELECT 1}
 * prepared once, on an open connection in auto-commit) and a bare insert + commit of one small row, with plain
 * JDBC and no pool.
 */
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class JdbcFloorBenchmark {

    @Param({"h2", "postgresql", "mariadb"})
    public String store;

    private Connection reader;
    private Connection connection;
    private PreparedStatement select;
    private PreparedStatement insert;
    private long next;

    @Setup
    public void open() throws SQLException {
        connection = DriverManager.getConnection(BenchDatabase.named(store).url());
        try (Statement statement = connection.createStatement()) {
            statement.execute("DROP TABLE IF EXISTS wt_bench_floor");
            statement.execute("CREATE TABLE wt_bench_floor (id BIGINT NOT NULL PRIMARY KEY, content VARCHAR(200) NOT NULL)");
        }
        reader = DriverManager.getConnection(BenchDatabase.named(store).url());
        select = reader.prepareStatement("SELECT 1");
        insert = connection.prepareStatement("INSERT INTO wt_bench_floor (id, content) VALUES (?, ?)");
        connection.setAutoCommit(false);
    }

    @TearDown
    public void close() throws SQLException {
        connection.setAutoCommit(true);
        try (Statement statement = connection.createStatement()) {
            statement.execute("DROP TABLE IF EXISTS wt_bench_floor");
        }
        connection.close();
        reader.close();
    }

    @Benchmark
    public int roundTrip() throws SQLException {
        try (ResultSet row = select.executeQuery()) {
            row.next();
            return row.getInt(1);
        }
    }

    @Benchmark
    public int insertCommit() throws SQLException {
        insert.setLong(1, ++next);
        insert.setString(2, "Reading file: src/index.ts");
        int rows = insert.executeUpdate();
        connection.commit();
        return rows;
    }
}
