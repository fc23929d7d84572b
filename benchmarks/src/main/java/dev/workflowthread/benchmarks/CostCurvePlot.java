package dev.workflowthread.benchmarks;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Draws BENCHMARKS.md's cost curve from JMH's JSON results: how the cost grows with the work, one
 * panel a measure, one line a store. Comments per second by the number of workflows writing at
 * once; what hearing other processes costs (statements a second, heap a workflow) and how long a
 * pause from another process takes to be heard, by the number of workflows watched; and the
 * pending lookup by the number of messages in the table. A panel whose results are missing from
 * the file is left out. Usage: {@code CostCurvePlot jmh-result.json cost-curve.png}
 * ({@code benchmarks/run} calls it).
 */
public final class CostCurvePlot {

    private static final int PANEL_WIDTH = 640;
    private static final int PANEL_HEIGHT = 400;
    private static final List<String> STORES = List.of("h2", "postgresql", "mariadb");

    private CostCurvePlot() {
    }

    public static void main(String[] args) throws IOException {
        ResultsTable results = ResultsTable.read(Path.of(args[0]));
        List<XYChart> panels = panels(results);
        if (panels.isEmpty()) {
            System.out.println("No cost-curve results in " + args[0] + ": no plot drawn");
            return;
        }
        Path out = Path.of(args[1]);
        ImageIO.write(sideBySide(panels), "png", out.toFile());
        System.out.println("Cost curve: " + out + " (" + Files.size(out) + " bytes, " + panels.size() + " panels)");
    }

    /** The panels the results hold figures for. */
    static List<XYChart> panels(ResultsTable results) {
        List<XYChart> panels = new ArrayList<>();
        addIfAny(panels, comments(results));
        addIfAny(panels, byWatched(results, "WatchedWorkflowsBenchmark.idle:statements",
                "Hearing other processes, nobody talking", "statements / s", row -> row.median()));
        addIfAny(panels, byWatched(results, "WatchedWorkflowsBenchmark.idle:bytesPerWatched",
                "Heap per watched workflow", "bytes", row -> row.median()));
        addIfAny(panels, byWatched(results, "WatchedWorkflowsBenchmark.pause",
                "Pause from another process, until heard (median)", "ms", row -> row.median() / 1_000));
        addIfAny(panels, pendingLookup(results));
        return panels;
    }

    private static void addIfAny(List<XYChart> panels, XYChart chart) {
        if (!chart.getSeriesMap().isEmpty()) {
            panels.add(chart);
        }
    }

    private static XYChart chart(String title, String xTitle, String yTitle) {
        XYChart chart = new XYChartBuilder().width(PANEL_WIDTH).height(PANEL_HEIGHT).title(title)
                .xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setMarkerSize(7);
        chart.getStyler().setXAxisDecimalPattern("#,###");
        chart.getStyler().setYAxisDecimalPattern("#,##0.#");
        chart.getStyler().setYAxisMin(0.0);
        return chart;
    }

    private static XYChart comments(ResultsTable results) {
        XYChart chart = chart("Agent comments per second", "workflows writing at once", "comments / s");
        String[] methods = {"oneWorkflow", "thirtyTwoWorkflows", "twoHundredFiftySixWorkflows", "thousandTwentyFourWorkflows"};
        double[] workflows = {1, 32, 256, 1024};
        for (String store : STORES) {
            for (String groupCommit : List.of("on", "off")) {
                List<Double> x = new ArrayList<>();
                List<Double> y = new ArrayList<>();
                for (int i = 0; i < methods.length; i++) {
                    ResultsTable.Row row = results.find("CommentThroughputBenchmark." + methods[i], "store", store,
                            "groupCommit", groupCommit);
                    if (row != null) {
                        x.add(workflows[i]);
                        y.add(row.median());
                    }
                }
                if (!x.isEmpty()) {
                    chart.addSeries(store + ", group commit " + groupCommit, x, y)
                            .setMarker(groupCommit.equals("on") ? SeriesMarkers.CIRCLE : SeriesMarkers.DIAMOND);
                }
            }
        }
        return chart;
    }

    private static XYChart byWatched(ResultsTable results, String benchmark, String title, String yTitle,
                                     ToDoubleFunction<ResultsTable.Row> figure) {
        XYChart chart = chart(title, "workflows watched (a guard each)", yTitle);
        for (String store : STORES) {
            List<Double> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            for (int watched : new int[] {1_000, 10_000}) {
                ResultsTable.Row row = results.find(benchmark, "watched", String.valueOf(watched), "store", store);
                if (row != null) {
                    x.add((double) watched);
                    y.add(figure.applyAsDouble(row));
                }
            }
            if (!x.isEmpty()) {
                chart.addSeries(store + (store.equals("postgresql") ? " (polling)" : ""), x, y);
            }
        }
        return chart;
    }

    private static XYChart pendingLookup(ResultsTable results) {
        XYChart chart = chart("Pending lookup of one workflow (median)", "messages in the table", "µs");
        for (String store : STORES) {
            List<Double> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            for (int messages : new int[] {1_000, 1_000_000}) {
                ResultsTable.Row row = results.find("ReadingBenchmark.pendingLookup", "store", store, "messages",
                        String.valueOf(messages));
                if (row != null) {
                    x.add((double) messages);
                    y.add(row.median());
                }
            }
            ResultsTable.Row tenMillion = results.find("ReadingBenchmark.pendingLookupAtTenMillion", "store", store);
            if (tenMillion != null) {
                x.add(10_000_000.0);
                y.add(tenMillion.median());
            }
            if (!x.isEmpty()) {
                chart.addSeries(store, x, y);
            }
        }
        return chart;
    }

    /** The panels two a row, on white. */
    private static BufferedImage sideBySide(List<XYChart> panels) {
        int columns = Math.min(2, panels.size());
        int rows = (panels.size() + columns - 1) / columns;
        BufferedImage image = new BufferedImage(columns * PANEL_WIDTH, rows * PANEL_HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D graphics = image.createGraphics();
        try {
            graphics.setColor(Color.WHITE);
            graphics.fillRect(0, 0, image.getWidth(), image.getHeight());
            for (int i = 0; i < panels.size(); i++) {
                graphics.drawImage(BitmapEncoder.getBufferedImage(panels.get(i)), (i % columns) * PANEL_WIDTH,
                        (i / columns) * PANEL_HEIGHT, null);
            }
        } finally {
            graphics.dispose();
        }
        return image;
    }
}
