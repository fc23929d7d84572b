package dev.workflowthread.benchmarks;

import dev.dbos.transact.DBOS;
import dev.dbos.transact.StartWorkflowOptions;
import dev.dbos.transact.config.DBOSConfig;
import dev.dbos.transact.workflow.Workflow;
import java.time.Duration;
import java.util.Optional;

/**
 * The receiving process of {@link DbosSendRecvBenchmark}: DBOS Transact on PostgreSQL, with one
 * workflow that loops on {@code recv} and prints {@code got <payload>} for each message. Arguments:
 * the JDBC URL (without parameters), user, password, schema, workflow id, topic. It prints
 * {@code ready} once the workflow runs, {@code got <payload> <nanos>} for each message (the last,
 * the {@link System#nanoTime()} at which {@code recv} returned; see {@link WakePath}), and ends on
 * the payload {@code stop}.
 */
public final class DbosReceiver {

    private DbosReceiver() {
    }

    /** The workflow's interface: DBOS proxies it. */
    public interface Loop {
        int receive(String topic);
    }

    /** The workflow: {@code recv} until {@code stop}. */
    public static final class ReceiveLoop implements Loop {
        private final DBOS dbos;

        ReceiveLoop(DBOS dbos) {
            this.dbos = dbos;
        }

        @Workflow(name = "benchmarkReceiveLoop")
        @Override
        public int receive(String topic) {
            System.out.println("ready");
            System.out.flush();
            int received = 0;
            while (true) {
                Optional<String> message = dbos.recv(topic, Duration.ofSeconds(30));
                long at = System.nanoTime();
                if (message.isEmpty()) {
                    continue;
                }
                System.out.println("got " + message.get() + " " + at);
                System.out.flush();
                received++;
                if (message.get().equals("stop")) {
                    return received;
                }
            }
        }
    }

    public static void main(String[] args) throws Exception {
        DBOSConfig config = DBOSConfig.defaults("workflow-thread-benchmark")
                .withDatabaseUrl(args[0])
                .withDbUser(args[1])
                .withDbPassword(args[2])
                .withDatabaseSchema(args[3]);
        DBOS dbos = new DBOS(config);
        Loop loop = dbos.registerProxy(Loop.class, new ReceiveLoop(dbos));
        dbos.launch();
        try {
            dbos.startWorkflow(() -> loop.receive(args[5]), new StartWorkflowOptions().withWorkflowId(args[4]))
                    .getResult();
        } finally {
            dbos.shutdown();
        }
        System.exit(0);
    }
}
