package dev.workflowthread.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What ResultsTable takes from JMH's JSON beside the primary figures. */
class ResultsTableTest {

    @Test
    void aBenchmarksOwnCountersBecomeRowsAndASampledBenchmarksPercentilesDoNot(@TempDir Path directory) throws Exception {
        Path json = directory.resolve("jmh-result.json");
        Files.writeString(json, """
                [{"benchmark": "dev.workflowthread.benchmarks.WatchedWorkflowsBenchmark.idle", "mode": "thrpt",
                  "params": {"store": "mariadb", "watched": "1000"},
                  "primaryMetric": {"scoreUnit": "ops/s", "scorePercentiles": {"50.0": 9.9, "99.0": 9.9},
                                    "rawData": [[9.9, 9.9]]},
                  "secondaryMetrics": {
                    "statements": {"scoreUnit": "ops/s", "scorePercentiles": {"50.0": 11, "99.0": 12}, "rawData": [[11, 12]]},
                    "·gc.alloc.rate": {"scoreUnit": "MB/sec", "scorePercentiles": {"50.0": 5, "99.0": 5}, "rawData": [[5]]}}},
                 {"benchmark": "dev.workflowthread.benchmarks.WatchedWorkflowsBenchmark.pause", "mode": "sample",
                  "params": {"store": "mariadb", "watched": "1000"},
                  "primaryMetric": {"scoreUnit": "us/op", "scorePercentiles": {"50.0": 100000, "99.0": 140000},
                                    "rawDataHistogram": [[[[100000, 3]]]]},
                  "secondaryMetrics": {
                    "p0.50": {"scoreUnit": "us/op", "scorePercentiles": {"50.0": 100000, "99.0": 100000}, "rawData": [[100000]]}}}]
                """);

        ResultsTable table = ResultsTable.read(json);

        assertThat(table.find("WatchedWorkflowsBenchmark.idle:statements", "store", "mariadb").median()).isEqualTo(11);
        assertThat(table.find("WatchedWorkflowsBenchmark.idle:·gc.alloc.rate")).isNull();
        assertThat(table.find("WatchedWorkflowsBenchmark.pause:p0.50")).isNull();
        assertThat(table.find("WatchedWorkflowsBenchmark.pause").samples()).isEqualTo(3);
        assertThat(table.markdown()).contains("WatchedWorkflowsBenchmark.idle:statements (store=mariadb, watched=1000)")
                .doesNotContain("pause:p0.50");
    }
}
