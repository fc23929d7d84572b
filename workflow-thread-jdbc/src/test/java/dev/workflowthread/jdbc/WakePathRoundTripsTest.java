package dev.workflowthread.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.workflowthread.ActionStatus;
import dev.workflowthread.ActionType;
import dev.workflowthread.CheckpointGuard;
import dev.workflowthread.Subscription;
import dev.workflowthread.ThreadEvent;
import dev.workflowthread.WorkflowCancelledException;
import dev.workflowthread.WorkflowMessages;
import dev.workflowthread.WorkflowThreadConfig;
import dev.workflowthread.WorkflowThreadObserver;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.transaction.DelegatingTransactionHandler;
import org.jdbi.v3.core.transaction.LocalTransactionHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The round trips to PostgreSQL on the way from a person's pause, resume or cancel in one process
 * to the agent's checkpoint obeying it in another: the statements and commits the person's send
 * makes, those the agent's process makes from hearing the notification until its checkpoint
 * committed the message, and those its feed makes to deliver the {@code workflow:paused} event to
 * a listener there. Each is counted on the store's own Jdbi (a logger of every statement and a
 * transaction handler that counts commits), on the thread that makes it, and held to the counts
 * of today's path, so that a round trip added to the path fails here. BEGIN travels with the
 * first statement, so a transaction costs its statements and its commit.
 */
class WakePathRoundTripsTest {
    private static final String PREFIX = "wt_round_trips_";
    private static final TestDatabase DATABASE = TestDatabase.POSTGRESQL;

    /**
     * Round trips (statements and commits) run on one store's Jdbi since the last {@link #reset},
     * by who ran them: the thread of the agent's loop, the feed's listener threads, any other.
     */
    private static final class Counted {
        final Map<String, AtomicInteger> byWho = new ConcurrentHashMap<>();
        final Jdbi jdbi;
        volatile Thread loop;

        Counted() {
            jdbi = Jdbi.create(DATABASE.dataSource());
            jdbi.setSqlLogger(new SqlLogger() {
                @Override
                public void logAfterExecution(StatementContext context) {
                    count();
                }
            });
            jdbi.setTransactionHandler(new DelegatingTransactionHandler(new LocalTransactionHandler()) {
                @Override
                public void commit(Handle handle) {
                    count();
                    super.commit(handle);
                }
            });
        }

        private void count() {
            Thread current = Thread.currentThread();
            String who = current == loop ? "loop" : current.getName().startsWith("workflow-thread-listener") ? "feed" : "other";
            byWho.computeIfAbsent(who, w -> new AtomicInteger()).incrementAndGet();
        }

        int of(String who) {
            AtomicInteger count = byWho.get(who);
            return count == null ? 0 : count.get();
        }

        void reset() {
            byWho.clear();
        }
    }

    private final Closing closing = new Closing();

    @AfterEach
    void closeEverything() throws Exception {
        closing.close();
    }

    @Test
    void aPauseResumeAndCancelTravelInTheRoundTripsOfTodaysPath() throws Exception {
        DATABASE.assumeAvailable();
        DATABASE.dropTables(PREFIX);
        Counted person = new Counted();
        Counted agent = new Counted();
        // Two stores on the same tables, as two processes: each hears the other only by NOTIFY.
        JdbcThreadStore personStore = closing.after(JdbcThreadStore.builder().jdbi(person.jdbi).tablePrefix(PREFIX).build());
        JdbcThreadStore agentStore = closing.after(JdbcThreadStore.builder().jdbi(agent.jdbi).tablePrefix(PREFIX).build());
        WorkflowMessages people = closing.after(WorkflowMessages.create(personStore));
        CountDownLatch pauseCommitted = new CountDownLatch(1);
        int[] agentAtPauseCommit = new int[1];
        WorkflowMessages agents = closing.after(WorkflowMessages.create(agentStore, WorkflowThreadConfig.builder()
                .observer(new WorkflowThreadObserver() {
                    @Override
                    public void messageApplied(long workflowId, ActionType actionType, ActionStatus outcome,
                                               Duration sinceSent) {
                        if (actionType == ActionType.PAUSE && outcome == ActionStatus.PROCESSED) {
                            agentAtPauseCommit[0] = agent.of("loop");
                            pauseCommitted.countDown();
                        }
                    }
                }).build()));
        long workflowId = 1;
        people.start(workflowId);
        CheckpointGuard guard = closing.after(agents.guard(workflowId));
        guard.check();
        CompletableFuture<Void> pausedEvent = new CompletableFuture<>();
        int[] agentAtPausedEvent = new int[1];
        Subscription subscription = agents.subscribe(workflowId, agents.getState(workflowId).lastSeq(), event -> {
            if (event instanceof ThreadEvent.WorkflowPaused) {
                agentAtPausedEvent[0] = agent.of("feed");
                pausedEvent.complete(null);
            }
        });
        closing.after(subscription::close);
        // The agent's loop: checkpoints until the cancel, the resume returning from its pause.
        CompletableFuture<String> loop = CompletableFuture.supplyAsync(() -> {
            agent.loop = Thread.currentThread();
            try {
                while (true) {
                    if (guard.check().resumed()) {
                        return "resumed";
                    }
                    Thread.onSpinWait();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "interrupted";
            }
        });

        person.reset();
        agent.reset();
        people.pause(workflowId, "hold on");
        int pauseSend = person.of("other");
        assertThat(pauseCommitted.await(30, TimeUnit.SECONDS)).as("the agent's checkpoint committed the pause").isTrue();
        pausedEvent.get(30, TimeUnit.SECONDS);
        int pauseApplied = agentAtPauseCommit[0];
        int pauseDelivered = agentAtPausedEvent[0];

        person.reset();
        agent.reset();
        people.unpause(workflowId);
        int resumeSend = person.of("other");
        assertThat(loop.get(30, TimeUnit.SECONDS)).isEqualTo("resumed");
        int resumeApplied = agent.of("loop");

        person.reset();
        agent.reset();
        people.cancel(workflowId, "that will do");
        int cancelSend = person.of("other");
        CompletableFuture<Boolean> cancelled = CompletableFuture.supplyAsync(() -> {
            agent.loop = Thread.currentThread();
            try {
                while (true) {
                    guard.check();
                    Thread.onSpinWait();
                }
            } catch (WorkflowCancelledException e) {
                return true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        });
        assertThat(cancelled.get(30, TimeUnit.SECONDS)).isTrue();
        int cancelApplied = agent.of("loop");

        System.out.printf("Round trips on PostgreSQL: pause: send %d, checkpoint until its commit %d, the feed until"
                        + " the pause's event %d; resume: send %d, checkpoint until check() returned %d; cancel: send %d,"
                        + " checkpoint until check() threw %d%n", pauseSend, pauseApplied, pauseDelivered, resumeSend,
                resumeApplied, cancelSend, cancelApplied);
        // A send: read the state, then lock it, insert the message, move the state and NOTIFY in
        // one statement, commit. (6 before the NOTIFY went into the state's update.)
        assertThat(pauseSend).as("round trips of the pause's send").isEqualTo(5);
        assertThat(resumeSend).as("round trips of the resume's send").isEqualTo(5);
        assertThat(cancelSend).as("round trips of the cancel's send").isEqualTo(5);
        // The loop's checkpoint: read the state and the open messages, then lock the state, close
        // the message, insert the system message, move the state and NOTIFY, commit. (8 before.)
        assertThat(pauseApplied).as("round trips of the checkpoint until the pause's commit").isEqualTo(7);
        // The feed, beside the checkpoint: pages for the person's message and for the pause's
        // event, and the state for the event's figures; 4 in every run when this was written,
        // fewer when one page holds both messages.
        assertThat(pauseDelivered).as("round trips of the feed until the pause's event").isBetween(2, 4);
        // The resume: its commit as above (7), and the state and the open messages read once more
        // before check() returns (8 or 9), and a read or two more when the paused checkpoint
        // looked at the state on its paused-check interval meanwhile.
        assertThat(resumeApplied).as("round trips of the paused checkpoint until it returned").isBetween(7, 11);
        // The cancel: 7 as above, or 9 when the checkpoint read the state and the open messages
        // before the NOTIFY of the cancel came (its own resume moved the version it had seen).
        assertThat(cancelApplied).as("round trips of the checkpoint until the cancel threw").isBetween(7, 9);
    }
}
