package dev.workflowthread.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Turns JMH's JSON results into the Markdown tables of BENCHMARKS.md: every result with its
 * median and p99 (for throughput and average-time benchmarks, the median and p99 over the
 * measured iterations), then the comparisons the targets name, as ratios of figures of the same
 * run, and where a {@link WakePath} file is given, the stages of each wake-up across processes.
 * Usage: {@code ResultsTable jmh-result.json [wake-path.jsonl]}.
 */
public final class ResultsTable {

    /** One result: the benchmark's short name, its parameters, and its figures. */
    record Row(String name, Map<String, String> params, String mode, double median, double p99, String unit,
               long samples) {

        String label() {
            StringJoiner joined = new StringJoiner(", ");
            params.forEach((key, value) -> joined.add(key + "=" + value));
            return name + (params.isEmpty() ? "" : " (" + joined + ")");
        }

        boolean is(String benchmark, String... keyValues) {
            if (!name.equals(benchmark)) {
                return false;
            }
            for (int i = 0; i < keyValues.length; i += 2) {
                if (!keyValues[i + 1].equals(params.get(keyValues[i]))) {
                    return false;
                }
            }
            return true;
        }
    }

    private final List<Row> rows;
    private final List<JsonNode> wakePaths = new ArrayList<>();

    ResultsTable(List<Row> rows) {
        this.rows = rows;
    }

    public static void main(String[] args) throws IOException {
        ResultsTable table = read(Path.of(args[0]));
        if (args.length > 1 && Files.exists(Path.of(args[1]))) {
            table.readWakePaths(Path.of(args[1]));
        }
        System.out.print(table.markdown());
    }

    /** Reads the stages {@link WakePath} wrote, one trial a line. */
    void readWakePaths(Path jsonLines) throws IOException {
        ObjectMapper json = new ObjectMapper();
        for (String line : Files.readAllLines(jsonLines)) {
            if (!line.isBlank()) {
                wakePaths.add(json.readTree(line));
            }
        }
    }

    private String wakePathTable() {
        if (wakePaths.isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder("\n| wake-up | stage | median µs | p99 µs | samples |\n"
                + "| --- | --- | ---: | ---: | ---: |\n");
        for (JsonNode trial : wakePaths) {
            String[] parts = trial.get("benchmark").asText().split("\\.");
            StringJoiner params = new StringJoiner(", ");
            trial.get("params").properties().forEach(field -> params.add(field.getKey() + "=" + field.getValue().asText()));
            String label = parts[parts.length - 2] + "." + parts[parts.length - 1]
                    + (params.length() == 0 ? "" : " (" + params + ")");
            trial.get("stages").properties().forEach(stage -> out.append("| ").append(label).append(" | ")
                    .append(stage.getKey()).append(" | ").append(number(stage.getValue().get("median").asDouble()))
                    .append(" | ").append(number(stage.getValue().get("p99").asDouble())).append(" | ")
                    .append(stage.getValue().get("samples").asLong()).append(" |\n"));
        }
        return out.toString();
    }

    static ResultsTable read(Path json) throws IOException {
        List<Row> rows = new ArrayList<>();
        for (JsonNode result : new ObjectMapper().readTree(json.toFile())) {
            String benchmark = result.get("benchmark").asText();
            String[] parts = benchmark.split("\\.");
            String name = parts[parts.length - 2] + "." + parts[parts.length - 1];
            Map<String, String> params = new LinkedHashMap<>();
            JsonNode declared = result.get("params");
            if (declared != null) {
                declared.properties().forEach(field -> params.put(field.getKey(), field.getValue().asText()));
            }
            JsonNode metric = result.get("primaryMetric");
            JsonNode percentiles = metric.get("scorePercentiles");
            long samples = 0;
            for (JsonNode fork : metric.path("rawDataHistogram")) {
                for (JsonNode iteration : fork) {
                    for (JsonNode bucket : iteration) {
                        samples += bucket.get(1).asLong();
                    }
                }
            }
            if (samples == 0) {
                for (JsonNode fork : metric.path("rawData")) {
                    samples += fork.size();
                }
            }
            rows.add(new Row(name, params, result.get("mode").asText(), percentiles.get("50.0").asDouble(),
                    percentiles.get("99.0").asDouble(), metric.get("scoreUnit").asText(), samples));
            // A benchmark's own counters (@AuxCounters, in throughput and average-time modes), e.g.
            // idle:statements; not the profilers' (·gc...) nor a sampled benchmark's percentiles.
            boolean sampled = result.get("mode").asText().equals("sample");
            result.path("secondaryMetrics").properties().forEach(secondary -> {
                if (!sampled && !secondary.getKey().startsWith("·")) {
                    JsonNode figures = secondary.getValue();
                    rows.add(new Row(name + ":" + secondary.getKey(), params, result.get("mode").asText(),
                            figures.get("scorePercentiles").get("50.0").asDouble(),
                            figures.get("scorePercentiles").get("99.0").asDouble(), figures.get("scoreUnit").asText(),
                            figures.path("rawData").path(0).size()));
                }
            });
        }
        return new ResultsTable(rows);
    }

    String markdown() {
        StringBuilder out = new StringBuilder();
        out.append("| benchmark | mode | median | p99 | unit | samples |\n| --- | --- | ---: | ---: | --- | ---: |\n");
        for (Row row : rows) {
            out.append("| ").append(row.label()).append(" | ").append(row.mode()).append(" | ")
                    .append(number(row.median())).append(" | ").append(number(row.p99())).append(" | ")
                    .append(row.unit()).append(" | ").append(row.samples()).append(" |\n");
        }
        out.append("\n").append(comparisons()).append(wakePathTable());
        return out.toString();
    }

    /** The ratios the targets speak of; a pair missing from the run is left out. */
    private String comparisons() {
        StringBuilder out = new StringBuilder("| comparison | ratio |\n| --- | ---: |\n");
        for (String store : List.of("h2", "postgresql", "mariadb")) {
            ratio(out, "Option A check / library check, " + store,
                    find("OptionACheckBenchmark.check", "store", store), find("CheckBenchmark.check", "store", store));
        }
        for (String action : List.of("pause", "resume", "cancel")) {
            for (String store : List.of("h2", "postgresql", "mariadb")) {
                String name = "CrossProcessSendToObservedBenchmark." + action;
                ratio(out, "Option A / library, " + action + " across processes, " + store + " (median)",
                        find(name, "store", store, "design", "option-a"), find(name, "store", store, "design", "library"));
            }
            ratio(out, "DBOS recv / library, " + action + " across processes, postgresql (median)",
                    find("DbosSendRecvBenchmark.sendToReceived"),
                    find("CrossProcessSendToObservedBenchmark." + action, "store", "postgresql", "design", "library"));
            p99Ratio(out, "DBOS recv / library, " + action + " across processes, postgresql (p99)",
                    find("DbosSendRecvBenchmark.sendToReceived"),
                    find("CrossProcessSendToObservedBenchmark." + action, "store", "postgresql", "design", "library"));
        }
        ratio(out, "in-JVM resume (memory) / unpark floor (median)",
                find("InJvmSendToObservedBenchmark.resume", "store", "memory"),
                find("ParkUnparkFloorBenchmark.unparkToRunning"));
        ratio(out, "cross-process pause (postgresql) / NOTIFY floor (median)",
                find("CrossProcessSendToObservedBenchmark.pause", "store", "postgresql", "design", "library"),
                find("PostgresNotifyFloorBenchmark.notifyDelivery"));
        for (String store : List.of("memory", "h2", "postgresql", "mariadb")) {
            ratio(out, "stop token poll / quiet check, " + store,
                    find("CheckBenchmark.pollToken", "store", store), find("CheckBenchmark.check", "store", store));
        }
        for (String store : List.of("memory", "h2")) {
            ratio(out, "in-JVM cancel to token fired / cancel to observed, " + store + " (median)",
                    find("InJvmSendToStoppedBenchmark.cancel", "store", store),
                    find("InJvmSendToObservedBenchmark.cancel", "store", store));
        }
        for (String action : List.of("urgent", "cancel")) {
            ratio(out, "cross-process " + action + " to token fired / cancel to observed, postgresql (median)",
                    find("CrossProcessSendToStoppedBenchmark." + action, "store", "postgresql"),
                    find("CrossProcessSendToObservedBenchmark.cancel", "store", "postgresql", "design", "library"));
        }
        ratio(out, "cross-process urgent to token fired (postgresql) / NOTIFY floor (median)",
                find("CrossProcessSendToStoppedBenchmark.urgent", "store", "postgresql"),
                find("PostgresNotifyFloorBenchmark.notifyDelivery"));
        for (String store : List.of("h2", "postgresql", "mariadb")) {
            ratio(out, "pending lookup 1,000,000 / 1,000 messages, " + store + " (median)",
                    find("ReadingBenchmark.pendingLookup", "store", store, "messages", "1000000"),
                    find("ReadingBenchmark.pendingLookup", "store", store, "messages", "1000"));
            ratio(out, "pending lookup 10,000,000 / 1,000 messages, " + store + " (median)",
                    find("ReadingBenchmark.pendingLookupAtTenMillion", "store", store),
                    find("ReadingBenchmark.pendingLookup", "store", store, "messages", "1000"));
            Row insert = find("JdbcFloorBenchmark.insertCommit", "store", store);
            for (String workflows : List.of("oneWorkflow", "thirtyTwoWorkflows", "twoHundredFiftySixWorkflows",
                    "thousandTwentyFourWorkflows")) {
                for (String groupCommit : List.of("on", "off")) {
                    Row append = find("CommentThroughputBenchmark." + workflows, "store", store, "groupCommit", groupCommit);
                    if (insert != null && append != null) {
                        double floorPerSecond = 1_000_000 / insert.median();
                        out.append("| comments, ").append(workflows).append(" (group commit ").append(groupCommit)
                                .append(") / insert + commit floor, ").append(store).append(" | ")
                                .append(number(append.median() / floorPerSecond)).append(" |\n");
                    }
                }
                ratio(out, "comments, " + workflows + ", group commit on / off, " + store,
                        find("CommentThroughputBenchmark." + workflows, "store", store, "groupCommit", "on"),
                        find("CommentThroughputBenchmark." + workflows, "store", store, "groupCommit", "off"));
            }
        }
        return out.toString();
    }

    Row find(String benchmark, String... keyValues) {
        return rows.stream().filter(row -> row.is(benchmark, keyValues)).findFirst().orElse(null);
    }

    private static void ratio(StringBuilder out, String label, Row numerator, Row denominator) {
        if (numerator != null && denominator != null && numerator.unit().equals(denominator.unit())) {
            out.append("| ").append(label).append(" | ").append(number(numerator.median() / denominator.median()))
                    .append(" |\n");
        }
    }

    private static void p99Ratio(StringBuilder out, String label, Row numerator, Row denominator) {
        if (numerator != null && denominator != null && numerator.unit().equals(denominator.unit())) {
            out.append("| ").append(label).append(" | ").append(number(numerator.p99() / denominator.p99()))
                    .append(" |\n");
        }
    }

    private static String number(double value) {
        if (Double.isNaN(value)) {
            return "n/a";
        }
        if (Math.abs(value) >= 100) {
            return String.format(Locale.ROOT, "%,.0f", value);
        }
        if (Math.abs(value) >= 1) {
            return String.format(Locale.ROOT, "%.2f", value);
        }
        return String.format(Locale.ROOT, "%.3f", value);
    }
}
