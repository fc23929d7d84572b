package dev.workflowthread.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;

/** The cost curve's plot is drawn from the rows a run holds, and only from those. */
class CostCurvePlotTest {

    private static ResultsTable.Row row(String name, double median, String... keyValues) {
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            params.put(keyValues[i], keyValues[i + 1]);
        }
        return new ResultsTable.Row(name, params, "thrpt", median, median, "ops/s", 3);
    }

    @Test
    void eachMeasureWithResultsGetsAPanelWithALineAStore() {
        List<ResultsTable.Row> rows = new ArrayList<>();
        rows.add(row("CommentThroughputBenchmark.oneWorkflow", 900, "store", "postgresql", "groupCommit", "on"));
        rows.add(row("CommentThroughputBenchmark.thousandTwentyFourWorkflows", 9_000, "store", "postgresql",
                "groupCommit", "on"));
        rows.add(row("CommentThroughputBenchmark.oneWorkflow", 800, "store", "mariadb", "groupCommit", "off"));
        rows.add(row("WatchedWorkflowsBenchmark.idle:statements", 10, "watched", "1000", "store", "mariadb"));
        rows.add(row("WatchedWorkflowsBenchmark.idle:statements", 12, "watched", "10000", "store", "mariadb"));

        List<XYChart> panels = CostCurvePlot.panels(new ResultsTable(rows));

        assertThat(panels).extracting(XYChart::getTitle)
                .containsExactly("Agent comments per second", "Hearing other processes, nobody talking");
        assertThat(panels.get(0).getSeriesMap()).containsOnlyKeys("postgresql, group commit on", "mariadb, group commit off");
        assertThat(panels.get(0).getSeriesMap().get("postgresql, group commit on").getXData())
                .containsExactly(1.0, 1024.0);
        assertThat(panels.get(1).getSeriesMap()).containsOnlyKeys("mariadb");
    }

    @Test
    void theMainWritesAPngOfThePanels(@TempDir Path directory) throws Exception {
        Path json = directory.resolve("jmh-result.json");
        Files.writeString(json, """
                [{"benchmark": "dev.workflowthread.benchmarks.CommentThroughputBenchmark.oneWorkflow",
                  "mode": "thrpt", "params": {"store": "h2", "groupCommit": "on"},
                  "primaryMetric": {"score": 5000, "scoreUnit": "ops/s",
                                    "scorePercentiles": {"50.0": 5000, "99.0": 5100},
                                    "rawData": [[4900, 5000, 5100]]}}]
                """);
        Path png = directory.resolve("cost-curve.png");
        System.setProperty("java.awt.headless", "true");

        CostCurvePlot.main(new String[] {json.toString(), png.toString()});

        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image).isNotNull();
        assertThat(image.getWidth()).isPositive();
        assertThat(image.getHeight()).isPositive();
    }
}
