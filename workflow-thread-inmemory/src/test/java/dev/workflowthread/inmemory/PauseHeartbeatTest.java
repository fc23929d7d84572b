package dev.workflowthread.inmemory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.workflowthread.Checkpoint;
import dev.workflowthread.CheckpointGuard;
import dev.workflowthread.WorkflowMessages;
import dev.workflowthread.WorkflowThreadConfig;
import dev.workflowthread.tck.SettableClock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** A paused checkpoint logs that it is alive, once per heartbeat interval of the clock. */
class PauseHeartbeatTest {
    private final Logger guardLogger = (Logger) LoggerFactory.getLogger("dev.workflowthread.internal.DefaultCheckpointGuard");
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private Level levelBefore;
    private final ExecutorService loop = Executors.newSingleThreadExecutor();

    @BeforeEach
    void captureLogs() {
        levelBefore = guardLogger.getLevel();
        guardLogger.setLevel(Level.INFO);
        guardLogger.setAdditive(false); // captured here, not printed
        appender.start();
        guardLogger.addAppender(appender);
    }

    @AfterEach
    void restoreLogs() throws InterruptedException {
        loop.shutdownNow();
        loop.awaitTermination(10, TimeUnit.SECONDS);
        guardLogger.detachAppender(appender);
        guardLogger.setLevel(levelBefore);
        guardLogger.setAdditive(true);
    }

    private long heartbeats() {
        return appender.list.stream()
                .filter(e -> e.getLevel() == Level.INFO && e.getFormattedMessage().contains("waiting for resume"))
                .count();
    }

    @Test
    void aPausedCheckpointLogsAHeartbeatEveryIntervalWithTheReasonAndTheDeadline() throws Exception {
        SettableClock clock = SettableClock.atNow();
        try (WorkflowMessages messages = WorkflowMessages.create(InMemoryThreadStore.create(),
                WorkflowThreadConfig.builder().clock(clock).pausedCheckInterval(Duration.ofMillis(10))
                        .heartbeatInterval(Duration.ofMinutes(1)).build())) {
            messages.start(7);
            CheckpointGuard guard = messages.guard(7);
            messages.pause(7, "reviewing the plan");
            Future<Checkpoint> check = loop.submit(guard::check);
            await().atMost(Duration.ofSeconds(20)).until(() -> heartbeats() == 1);
            assertThat(appender.list.get(0).getFormattedMessage())
                    .contains("workflow 7").contains("reviewing the plan").contains("until");

            clock.advance(Duration.ofSeconds(59));
            await().during(Duration.ofMillis(100)).atMost(Duration.ofSeconds(20)).until(() -> heartbeats() == 1);
            clock.advance(Duration.ofSeconds(1));
            await().atMost(Duration.ofSeconds(20)).until(() -> heartbeats() == 2);
            clock.advance(Duration.ofMinutes(1));
            await().atMost(Duration.ofSeconds(20)).until(() -> heartbeats() == 3);

            messages.unpause(7);
            assertThat(check.get(20, TimeUnit.SECONDS).resumed()).isTrue();
        }
    }
}
