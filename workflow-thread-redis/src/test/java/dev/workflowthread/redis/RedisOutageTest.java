package dev.workflowthread.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.workflowthread.Message;
import dev.workflowthread.MessageOptions;
import dev.workflowthread.MessageType;
import dev.workflowthread.Subscription;
import dev.workflowthread.ThreadEvent;
import dev.workflowthread.WorkflowMessages;
import dev.workflowthread.jdbc.ChangeSignals;
import dev.workflowthread.jdbc.JdbcThreadStore;
import dev.workflowthread.jdbc.TestDatabase;
import dev.workflowthread.spi.StoreChange;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Redis goes away under a store that watches a workflow on MariaDB (its connections to Redis go
 * through a proxy the test stops): the store says so with a warning, hears the other store's
 * messages by polling meanwhile, and once Redis is back, hears them through it again; its
 * subscription is handed every message exactly once, in order, before, during and after.
 */
class RedisOutageTest {
    private static final String PREFIX = "wt_redis_outage_";
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final long WORKFLOW = System.currentTimeMillis();

    @Test
    void anOutageOfRedisFallsBackToPollingAndRecoversWithNothingLostOrTwice() throws Exception {
        TestDatabase.MARIADB.assumeAvailable();
        TestRedis.assumeAvailable();
        TestDatabase.MARIADB.dropTables(PREFIX);
        String channel = TestRedis.newChannel();
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        Logger logger = (Logger) LoggerFactory.getLogger("dev.workflowthread.jdbc.SignalledPolling");
        log.start();
        logger.addAppender(log);
        URI redis = URI.create(TestRedis.URI);
        try (StoppableProxy proxy = new StoppableProxy(redis.getPort() < 0 ? 6379 : redis.getPort());
             JdbcThreadStore writerStore = JdbcThreadStore.builder().dataSource(TestDatabase.MARIADB.dataSource())
                     .tablePrefix(PREFIX).changeSignals(TestRedis.signals(channel)).build();
             WorkflowMessages writer = WorkflowMessages.create(writerStore)) {
            Counting signals = new Counting(RedisChangeSignals.builder()
                    .uri("redis://127.0.0.1:" + proxy.port()).channel(channel)
                    .clientResources(TestRedis.resources()).build());
            // Polls every 200 ms while Redis is away; while it is there, reads all states every 10 minutes only.
            try (JdbcThreadStore watcherStore = JdbcThreadStore.builder().dataSource(TestDatabase.MARIADB.dataSource())
                         .tablePrefix(PREFIX).changeSignals(signals).changePollInterval(Duration.ofMillis(200))
                         .reconcileInterval(Duration.ofMinutes(10)).build();
                 WorkflowMessages watcher = WorkflowMessages.create(watcherStore)) {
                writer.start(WORKFLOW);
                List<Long> handed = new CopyOnWriteArrayList<>();
                List<Long> written = new ArrayList<>();
                try (Subscription subscription = watcher.subscribe(WORKFLOW, 0, event -> {
                    if (event instanceof ThreadEvent.MessageAdded added) {
                        handed.add(added.message().seq());
                    }
                })) {
                    await().atMost(WAIT).until(() -> signals.connected.get() == 1);
                    handed.clear(); // the start's own message, if the subscription read it
                    long after = writer.getState(WORKFLOW).lastSeq();

                    write(writer, written, "before");
                    await().atMost(WAIT).until(() -> handed.size() == written.size());
                    assertThat(signals.changed).contains(WORKFLOW);

                    proxy.stop();
                    await().atMost(WAIT).until(() -> warned(log, Level.WARN, "are not heard"));
                    signals.changed.clear();
                    write(writer, written, "during");
                    await().atMost(WAIT).until(() -> handed.size() == written.size());
                    assertThat(signals.changed).isEmpty(); // heard by polling alone

                    proxy.start();
                    await().atMost(WAIT).until(() -> warned(log, Level.INFO, "heard again"));
                    write(writer, written, "after");
                    await().atMost(WAIT).until(() -> handed.size() >= written.size());
                    assertThat(signals.changed).contains(WORKFLOW);

                    assertThat(handed).containsExactlyElementsOf(written).allMatch(seq -> seq > after);
                    assertThat(signals.disconnected.get()).isPositive();
                    assertThat(signals.connected.get()).isGreaterThanOrEqualTo(2);
                }
            }
        } finally {
            logger.detachAppender(log);
        }
    }

    private static void write(WorkflowMessages writer, List<Long> written, String when) {
        for (int i = 0; i < 5; i++) {
            Message message = writer.addMessage(WORKFLOW, MessageType.AGENT, "comment " + i + " " + when,
                    MessageOptions.agent("code", null));
            written.add(message.seq());
        }
    }

    private static boolean warned(ListAppender<ILoggingEvent> log, Level level, String text) {
        return log.list.stream().anyMatch(e -> e.getLevel() == level && e.getFormattedMessage().contains(text));
    }

    /** The Redis signals, and what they told the store. */
    private static final class Counting implements ChangeSignals {
        final RedisChangeSignals signals;
        final List<Long> changed = new CopyOnWriteArrayList<>();
        final AtomicInteger connected = new AtomicInteger();
        final AtomicInteger disconnected = new AtomicInteger();

        Counting(RedisChangeSignals signals) {
            this.signals = signals;
        }

        @Override
        public void start(Receiver receiver) {
            signals.start(new Receiver() {
                @Override
                public void changed(Collection<Long> workflowIds) {
                    changed.addAll(workflowIds);
                    receiver.changed(workflowIds);
                }

                @Override
                public void connected() {
                    connected.incrementAndGet();
                    receiver.connected();
                }

                @Override
                public void disconnected(Throwable cause) {
                    disconnected.incrementAndGet();
                    receiver.disconnected(cause);
                }
            });
        }

        @Override
        public void publish(StoreChange change) {
            signals.publish(change);
        }

        @Override
        public void close() {
            signals.close();
        }
    }
}
