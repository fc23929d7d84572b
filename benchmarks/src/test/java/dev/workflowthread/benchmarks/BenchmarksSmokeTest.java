package dev.workflowthread.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.format.OutputFormat;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs every benchmark once, briefly, in this JVM (one measured iteration of 100 ms, no warm-up,
 * small data: {@code workflowthread.bench.smoke}), so they keep compiling and working. It proves
 * nothing about speed; BENCHMARKS.md has the real run. It needs PostgreSQL and MariaDB (the
 * benchmarks compare across them): without them it is skipped, saying why, unless they are named
 * in {@code WORKFLOW_THREAD_TEST_REQUIRE}, as CI does.
 */
class BenchmarksSmokeTest {

    @Test
    void everyBenchmarkRunsOnceAndMeasuresSomething() throws RunnerException {
        assumeDatabases();
        Options options = new OptionsBuilder()
                .include(BenchmarksSmokeTest.class.getPackageName() + ".*")
                .forks(0)
                .warmupIterations(0)
                .measurementIterations(1)
                .measurementTime(TimeValue.milliseconds(100))
                .shouldFailOnError(true)
                .verbosity(VerboseMode.SILENT)
                .build();
        Collection<RunResult> results = new Runner(options).run();

        Set<String> ran = new TreeSet<>();
        for (RunResult result : results) {
            String name = result.getParams().getBenchmark();
            ran.add(name);
            double score = result.getPrimaryResult().getScore();
            System.out.printf(Locale.ROOT, "smoke: %s (%s) = %.3f %s%n", name, paramsOf(result), score,
                    result.getPrimaryResult().getScoreUnit());
            assertThat(score).as(name + " " + paramsOf(result)).isPositive().isFinite();
            assertThat(result.getPrimaryResult().getSampleCount()).as(name + " samples").isPositive();
        }
        assertThat(ran).as("every benchmark in the generated list ran").isEqualTo(declaredBenchmarks());
    }

    private static String paramsOf(RunResult result) {
        return result.getParams().getParamsKeys().stream()
                .map(key -> key + "=" + result.getParams().getParam(key))
                .collect(Collectors.joining(", "));
    }

    /** The benchmark methods JMH's annotation processor listed for this module. */
    private static Set<String> declaredBenchmarks() {
        OutputFormat quiet = OutputFormatFactory.createFormatInstance(System.out, VerboseMode.SILENT);
        return BenchmarkList.defaultList().getAll(quiet, List.of()).stream()
                .map(BenchmarkListEntry::getUsername)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static void assumeDatabases() {
        Set<String> required = Arrays.stream(System.getenv().getOrDefault("WORKFLOW_THREAD_TEST_REQUIRE", "")
                        .split(","))
                .map(name -> name.strip().toLowerCase(Locale.ROOT))
                .collect(Collectors.toSet());
        List<String> missing = new ArrayList<>();
        for (BenchDatabase database : List.of(BenchDatabase.POSTGRESQL, BenchDatabase.MARIADB)) {
            String reason = database.unavailableReason();
            if (reason != null) {
                if (required.contains(database.parameter())) {
                    throw new IllegalStateException(database.parameter() + " is required (WORKFLOW_THREAD_TEST_REQUIRE) but "
                            + reason);
                }
                missing.add(reason);
            }
        }
        if (!missing.isEmpty()) {
            System.out.println("SKIPPED: the benchmark smoke run needs PostgreSQL and MariaDB: " + missing);
            Assumptions.abort("benchmark smoke run skipped: " + missing);
        }
    }
}
