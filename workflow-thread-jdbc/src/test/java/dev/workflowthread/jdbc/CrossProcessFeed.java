package dev.workflowthread.jdbc;

import dev.workflowthread.AgentNarrator;
import dev.workflowthread.Subscription;
import dev.workflowthread.ThreadEvent;
import dev.workflowthread.WorkflowMessages;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The two processes of {@link CrossProcessFeedTest}, each a {@code main}: one writes agent
 * comments, the other follows the same workflows through {@link WorkflowMessages#subscribe}.
 * Both report on standard output, one line each, prefixed {@code WT}.
 */
final class CrossProcessFeed {

    private CrossProcessFeed() {
    }

    /** What the writer says as comment {@code i} of a workflow. */
    static String comment(long workflowId, int i) {
        return "comment " + i + " of workflow " + workflowId;
    }

    /**
     * Writes comments {@code 1..perWorkflow} to each workflow from a few threads, each thread its
     * share of the workflows in turn, then completes every workflow.
     * Arguments: JDBC URL, table prefix, workflow ids, comments per workflow, threads.
     * Reports {@code READY}, {@code WROTE n} every 1,000 comments, and {@code DONE}.
     */
    public static final class Writer {
        public static void main(String[] args) throws Exception {
            List<Long> workflows = WorkerProcess.ids(args[2]);
            int perWorkflow = Integer.parseInt(args[3]);
            int threads = Integer.parseInt(args[4]);
            try (JdbcThreadStore store = JdbcThreadStore.builder().url(args[0]).tablePrefix(args[1])
                    .schemaMode(SchemaMode.VALIDATE).maximumPoolSize(threads + 1).build();
                 WorkflowMessages messages = WorkflowMessages.create(store)) {
                AtomicLong written = new AtomicLong();
                ExecutorService pool = Executors.newFixedThreadPool(threads);
                List<Future<?>> writers = new ArrayList<>();
                report("READY");
                for (int t = 0; t < threads; t++) {
                    List<Long> mine = new ArrayList<>();
                    List<AgentNarrator> narrators = new ArrayList<>();
                    for (int w = t; w < workflows.size(); w += threads) {
                        mine.add(workflows.get(w));
                        narrators.add(messages.narrator(workflows.get(w), "code", null));
                    }
                    writers.add(pool.submit(() -> {
                        for (int i = 1; i <= perWorkflow; i++) {
                            for (int w = 0; w < mine.size(); w++) {
                                narrators.get(w).say(comment(mine.get(w), i));
                                if (written.incrementAndGet() % 1000 == 0) {
                                    report("WROTE " + written.get());
                                }
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> writer : writers) {
                    writer.get();
                }
                pool.shutdown();
                for (long workflowId : workflows) {
                    messages.complete(workflowId, "all comments written");
                }
            }
            report("DONE");
        }
    }

    /**
     * Subscribes every workflow from seq 0 and writes each {@code message:new} to a file, one line
     * {@code workflow seq content} each, until every workflow's {@code workflow:completed} came.
     * Arguments: JDBC URL, table prefix, workflow ids, output file.
     * Reports {@code READY}, {@code RECEIVED n} every 500 messages, and {@code DONE}.
     */
    public static final class Follower {
        public static void main(String[] args) throws Exception {
            List<Long> workflows = WorkerProcess.ids(args[2]);
            Path output = Path.of(args[3]);
            CountDownLatch completed = new CountDownLatch(workflows.size());
            AtomicLong received = new AtomicLong();
            try (BufferedWriter file = Files.newBufferedWriter(output, StandardCharsets.UTF_8);
                 // On PostgreSQL, notifications must carry the feed: the watched states are read
                 // only when the listening connection (re)connects.
                 JdbcThreadStore store = JdbcThreadStore.builder().url(args[0]).tablePrefix(args[1])
                         .schemaMode(SchemaMode.VALIDATE).maximumPoolSize(4).reconcileInterval(Duration.ofMinutes(10))
                         .connectionTimeout(Duration.ofSeconds(5)).build();
                 WorkflowMessages messages = WorkflowMessages.create(store)) {
                List<Subscription> subscriptions = new ArrayList<>();
                for (long workflowId : workflows) {
                    subscriptions.add(messages.subscribe(workflowId, 0, event -> {
                        if (event instanceof ThreadEvent.MessageAdded added) {
                            write(file, added.message().workflowId() + " " + added.message().seq() + " "
                                    + added.message().content());
                            if (received.incrementAndGet() % 500 == 0) {
                                report("RECEIVED " + received.get());
                            }
                        } else if (event instanceof ThreadEvent.WorkflowCompleted) {
                            completed.countDown();
                        }
                    }));
                }
                report("READY");
                if (!completed.await(5, TimeUnit.MINUTES)) {
                    report("FAILED " + completed.getCount() + " workflows never completed");
                }
                subscriptions.forEach(Subscription::close);
                synchronized (file) {
                    file.flush();
                }
            }
            report("DONE");
        }

        private static void write(BufferedWriter file, String line) {
            synchronized (file) {
                try {
                    file.write(line);
                    file.newLine();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }

    static void report(String line) {
        System.out.println("WT " + line);
        System.out.flush();
    }
}
