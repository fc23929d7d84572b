package dev.workflowthread.benchmarks;

import dev.workflowthread.jdbc.JdbcThreadStore;
import dev.workflowthread.jdbc.JdbcThreadStoreBuilder;
import java.util.concurrent.ThreadLocalRandom;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * Send to observed across two processes on one database: the benchmark's JVM sends, a child JVM
 * ({@link AgentProcess}) runs the agent loop. With the library, PostgreSQL wakes the child by
 * {@code NOTIFY}; H2 (served over TCP) and MariaDB by the store's poll at its default interval
 * (100 ms). With the plan's Option A, the child reads the database at every checkpoint and every
 * 5 s while paused. The time includes one pipe hop from the child back to the benchmark.
 *
 * <p>Where the agent side polls (Option A while paused, the library on H2 and MariaDB), the person
 * "thinks" for a random time within the poll period before each send, untimed, as people do; see
 * {@link #thinkTimeMillis(boolean)}.
 */
@State(Scope.Benchmark)
public class CrossProcessSendToObservedBenchmark extends SendToObserved {

    private static final String PREFIX = "wt_bench_cross_";

    @Param({"h2", "postgresql", "mariadb"})
    public String store;

    @Param({"library", "option-a"})
    public String design;

    private H2Server h2;
    private String url;

    @Override
    protected Sender openSender() {
        BenchDatabase database = BenchDatabase.named(store);
        if (database == BenchDatabase.H2) {
            h2 = new H2Server("wt_bench_cross");
            url = h2.url();
        } else {
            url = database.url();
        }
        if (design.equals("library")) {
            return libraryOn(database, url, PREFIX);
        }
        return optionA(new OptionABaseline(url, PREFIX, 4, OptionABaseline.PLAN_UNPAUSE_POLL).createTables());
    }

    @Override
    protected long thinkTimeMillis(boolean resume) {
        long period;
        if (design.equals("option-a")) {
            // it reads the database at every checkpoint, but only every 5 s while paused
            period = resume ? OptionABaseline.PLAN_UNPAUSE_POLL.toMillis() : 0;
        } else {
            // PostgreSQL wakes the child by notification; H2 and MariaDB are polled
            period = store.equals("postgresql") ? 0 : JdbcThreadStoreBuilder.DEFAULT_CHANGE_POLL_INTERVAL.toMillis();
        }
        return period == 0 ? 0 : ThreadLocalRandom.current().nextLong(period);
    }

    @Override
    protected AgentSide openAgentSide() {
        return AgentSide.inChildProcess(design, url, PREFIX);
    }

    @Override
    protected void closeResources() {
        if (h2 != null) {
            h2.close();
        }
    }
}
