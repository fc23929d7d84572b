package dev.workflowthread.jdbc;

import dev.workflowthread.ActionType;
import dev.workflowthread.Checkpoint;
import dev.workflowthread.CheckpointGuard;
import dev.workflowthread.Message;
import dev.workflowthread.StorageException;
import dev.workflowthread.WorkflowMessages;
import dev.workflowthread.WorkflowStoppedException;
import dev.workflowthread.WorkflowThreadConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * An orchestrator process for the cross-process tests: a few agent-loop threads, each with a
 * guard on every given workflow, calling {@code check()} round and round until every workflow is
 * stopped. It reports on standard output, one line each, prefixed {@code WT}: {@code READY},
 * {@code HANDED <workflow> <message> <epoch millis>} for each message a checkpoint hands over, {@code FAILED …},
 * and {@code DONE}.
 *
 * <p>Arguments: JDBC URL, table prefix, mode ({@code ack}: answer each instruction;
 * {@code hold}: keep instructions without answering, as an agent busy with them would;
 * {@code retry}: answer each instruction and narrate a comment about it under a key, both retried
 * while the database is away, and report its outages as {@code OUTAGE <epoch millis>} and the
 * first successful check after one as {@code RECOVERED <epoch millis>} instead of failures), lease in
 * milliseconds, poll interval in milliseconds, threads, and the workflow ids separated by commas.
 */
public final class CrossProcessWorker {

    private CrossProcessWorker() {
    }

    public static void main(String[] args) throws Exception {
        String url = args[0];
        String prefix = args[1];
        boolean retry = args[2].equals("retry");
        boolean answer = args[2].equals("ack") || retry;
        Duration lease = Duration.ofMillis(Long.parseLong(args[3]));
        Duration poll = Duration.ofMillis(Long.parseLong(args[4]));
        int threads = Integer.parseInt(args[5]);
        List<Long> workflows = Arrays.stream(args[6].split(",")).map(Long::valueOf).toList();

        try (JdbcThreadStore store = JdbcThreadStore.builder().url(url).tablePrefix(prefix)
                .schemaMode(SchemaMode.VALIDATE).maximumPoolSize(threads + 1)
                .connectionTimeout(retry ? Duration.ofSeconds(1) : JdbcThreadStoreBuilder.DEFAULT_CONNECTION_TIMEOUT)
                .build();
             WorkflowMessages messages = WorkflowMessages.create(store, WorkflowThreadConfig.builder()
                     .leaseDuration(lease).pausedCheckInterval(poll).pauseTimeout(Duration.ofMinutes(10)).build())) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<?>> loops = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Map<Long, CheckpointGuard> guards = new LinkedHashMap<>();
                workflows.forEach(id -> guards.put(id, messages.guard(id)));
                loops.add(pool.submit(() -> agentLoop(guards, answer, retry)));
            }
            report("READY");
            for (Future<?> loop : loops) {
                loop.get();
            }
            pool.shutdown();
            pool.awaitTermination(10, TimeUnit.SECONDS);
        }
        report("DONE");
    }

    private static void agentLoop(Map<Long, CheckpointGuard> guards, boolean answer, boolean retry) {
        Map<Long, CheckpointGuard> running = new LinkedHashMap<>(guards);
        boolean inOutage = false;
        while (!running.isEmpty()) {
            for (Iterator<Map.Entry<Long, CheckpointGuard>> it = running.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<Long, CheckpointGuard> entry = it.next();
                CheckpointGuard guard = entry.getValue();
                try {
                    Checkpoint checkpoint = guard.check();
                    if (inOutage) {
                        inOutage = false;
                        report("RECOVERED " + System.currentTimeMillis());
                    }
                    for (Message message : checkpoint.messages()) {
                        report("HANDED " + entry.getKey() + " " + message.id() + " " + System.currentTimeMillis());
                        if (answer && message.actionType() == ActionType.INSTRUCTION) {
                            String reply = "Acknowledged user context - " + message.content();
                            if (retry) {
                                // Safe to retry: the guard keys its reply by itself and the message,
                                // and the narration carries a key of its own.
                                untilStored(() -> guard.acknowledge(message, reply));
                                untilStored(() -> guard.narrator("code", null)
                                        .say("Worked on message " + message.id(), null, "worked-on-" + message.id()));
                            } else {
                                guard.acknowledge(message, reply);
                            }
                        }
                    }
                } catch (WorkflowStoppedException stopped) {
                    it.remove();
                } catch (StorageException e) {
                    if (!retry) {
                        failed(e);
                    } else if (!inOutage) {
                        inOutage = true;
                        report("OUTAGE " + System.currentTimeMillis());
                    }
                } catch (Exception | Error e) {
                    failed(e);
                    if (e instanceof InterruptedException) {
                        return;
                    }
                }
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2)); // the agent's step
        }
    }

    /** Makes a write again while the database is away, as a host's agent would; gives up after two minutes. */
    private static void untilStored(Supplier<Message> write) {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (true) {
            try {
                write.get();
                return;
            } catch (StorageException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50)); // a host's back-off
            }
        }
    }

    private static void failed(Throwable e) {
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        report("FAILED " + trace.toString().replace('\n', '|'));
    }

    private static synchronized void report(String line) {
        System.out.println("WT " + line);
        System.out.flush();
    }
}
