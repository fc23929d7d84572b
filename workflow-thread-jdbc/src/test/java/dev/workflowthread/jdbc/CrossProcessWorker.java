package dev.workflowthread.jdbc;

import dev.workflowthread.ActionType;
import dev.workflowthread.Answer;
import dev.workflowthread.Checkpoint;
import dev.workflowthread.CheckpointGuard;
import dev.workflowthread.Message;
import dev.workflowthread.QuestionTimeout;
import dev.workflowthread.StopReason;
import dev.workflowthread.StopToken;
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
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
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
 * first successful check after one as {@code RECOVERED <epoch millis>} instead of failures;
 * {@code stop}: one guard and thread per workflow, which after each check asks for the step's stop
 * token, reports {@code ARMED <workflow> <step>}, waits for it to fire (at most two minutes) and
 * reports {@code FIRED <workflow> <step> <reason kind> <message> <epoch millis it fired>}, until a
 * check throws: {@code STOPPED <workflow> <exception>}; {@code ask}: one guard and thread per
 * workflow, which asks a question with the options {@link #OPTIONS} (failing after two minutes),
 * reports {@code ANSWER <workflow> <message> <choice> <author> <timed out> <epoch millis>}, then
 * checks round and round as {@code ack} does until stopped), lease in milliseconds, the guards'
 * poll interval in milliseconds, threads (not read in {@code stop} and {@code ask} modes), the workflow ids separated by commas, and optionally
 * the store's change poll interval in milliseconds (in {@code stop} and {@code ask} modes the
 * store reads the watched states on PostgreSQL only every ten minutes, so that there only a
 * notification wakes it in time).
 */
public final class CrossProcessWorker {
    /** The options of the question the {@code ask} mode asks. */
    static final List<String> OPTIONS = List.of("PrimaryButton", "Button");
    /** The agent the {@code stop} and {@code ask} modes say is at work. */
    static final String AGENT = "code";
    private static final Duration STEP_WAIT = Duration.ofMinutes(2);

    private CrossProcessWorker() {
    }

    public static void main(String[] args) throws Exception {
        String url = args[0];
        String prefix = args[1];
        String mode = args[2];
        boolean retry = mode.equals("retry");
        boolean answer = mode.equals("ack") || retry;
        boolean steering = mode.equals("stop") || mode.equals("ask");
        Duration lease = Duration.ofMillis(Long.parseLong(args[3]));
        Duration poll = Duration.ofMillis(Long.parseLong(args[4]));
        List<Long> workflows = Arrays.stream(args[6].split(",")).map(Long::valueOf).toList();
        int threads = steering ? workflows.size() : Integer.parseInt(args[5]);
        JdbcThreadStoreBuilder builder = JdbcThreadStore.builder().url(url).tablePrefix(prefix)
                .schemaMode(SchemaMode.VALIDATE).maximumPoolSize(threads + 1)
                .connectionTimeout(retry ? Duration.ofSeconds(1) : JdbcThreadStoreBuilder.DEFAULT_CONNECTION_TIMEOUT);
        if (args.length > 7) {
            builder.changePollInterval(Duration.ofMillis(Long.parseLong(args[7])));
        }
        if (steering) {
            builder.reconcileInterval(Duration.ofMinutes(10));
        }

        try (JdbcThreadStore store = builder.build();
             WorkflowMessages messages = WorkflowMessages.create(store, WorkflowThreadConfig.builder()
                     .leaseDuration(lease).pausedCheckInterval(poll).pauseTimeout(Duration.ofMinutes(10)).build())) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<?>> loops = new ArrayList<>();
            if (steering) {
                for (long id : workflows) {
                    CheckpointGuard guard = messages.guard(id);
                    loops.add(pool.submit(() -> mode.equals("stop") ? stopLoop(id, guard) : askThenLoop(id, guard)));
                }
            } else {
                for (int t = 0; t < threads; t++) {
                    Map<Long, CheckpointGuard> guards = new LinkedHashMap<>();
                    workflows.forEach(id -> guards.put(id, messages.guard(id)));
                    loops.add(pool.submit(() -> agentLoop(guards, answer, retry)));
                }
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

    /**
     * The {@code stop} mode on one workflow: a check, then a step that lasts until its stop token
     * fires, again and again; the instructions the checks hand over are answered.
     */
    private static Void stopLoop(long workflowId, CheckpointGuard guard) {
        try {
            guard.agentStarting(AGENT, "Working until told to stop");
            for (int step = 1; ; step++) {
                Checkpoint checkpoint = guard.check();
                handOver(workflowId, guard, checkpoint);
                StopToken token = guard.stopToken();
                AtomicLong firedAt = new AtomicLong();
                token.onStop(reason -> firedAt.set(System.currentTimeMillis()));
                report("ARMED " + workflowId + " " + step);
                StopReason reason;
                try {
                    reason = token.whenStopped().get(STEP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    report("FAILED the stop token of workflow " + workflowId + ", step " + step
                            + ", did not fire within " + STEP_WAIT);
                    return null;
                }
                report("FIRED " + workflowId + " " + step + " " + reason.kind() + " " + reason.messageId() + " "
                        + firedAt.get());
            }
        } catch (WorkflowStoppedException stopped) {
            report("STOPPED " + workflowId + " " + stopped.getClass().getSimpleName());
        } catch (Exception | Error e) {
            failed(e);
        }
        return null;
    }

    /** The {@code ask} mode on one workflow: one question, then checks until the workflow stops. */
    private static Void askThenLoop(long workflowId, CheckpointGuard guard) {
        try {
            guard.agentStarting(AGENT, "Naming the new component");
            guard.check();
            Answer answer = guard.ask("Which name should the new component have?", OPTIONS, STEP_WAIT,
                    QuestionTimeout.fail());
            report("ANSWER " + workflowId + " " + answer.messageId() + " " + answer.choice() + " " + answer.author()
                    + " " + answer.timedOut() + " " + System.currentTimeMillis());
            while (true) {
                handOver(workflowId, guard, guard.check());
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2)); // the agent's step
            }
        } catch (WorkflowStoppedException stopped) {
            report("STOPPED " + workflowId + " " + stopped.getClass().getSimpleName());
        } catch (Exception | Error e) {
            failed(e);
        }
        return null;
    }

    /** Reports what a checkpoint handed over and answers its instructions. */
    private static void handOver(long workflowId, CheckpointGuard guard, Checkpoint checkpoint) {
        for (Message message : checkpoint.messages()) {
            report("HANDED " + workflowId + " " + message.id() + " " + System.currentTimeMillis());
            if (message.actionType() == ActionType.INSTRUCTION) {
                guard.acknowledge(message, "Acknowledged user context - " + message.content());
            }
        }
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
