package dev.workflowthread.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.workflowthread.jdbc.ChangeSignals;
import dev.workflowthread.spi.StoreChange;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The signals on their own: what one publishes the others hear, and how they say they come and go. */
class RedisChangeSignalsTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @BeforeEach
    void redis() {
        TestRedis.assumeAvailable();
    }

    @Test
    void whatOnePublishesTheOthersHearButNotItself() {
        String channel = TestRedis.newChannel();
        Recorder heardByA = new Recorder();
        Recorder heardByB = new Recorder();
        try (RedisChangeSignals a = TestRedis.signals(channel); RedisChangeSignals b = TestRedis.signals(channel)) {
            a.start(heardByA);
            b.start(heardByB);
            await().atMost(WAIT).until(() -> heardByA.connected.get() == 1 && heardByB.connected.get() == 1);

            publishUntilHeard(a, 7, heardByB);
            publishUntilHeard(b, 8, heardByA);

            // Redis delivers one channel's messages in the order it took them: A heard 8, so it
            // would have heard its own 7 before.
            assertThat(heardByA.workflows).containsOnly(8L);
            assertThat(heardByB.workflows).containsOnly(7L);
            assertThat(heardByA.disconnected).isEmpty();
        }
    }

    /** Publishes until heard: a publish made before the publishing connection is up is dropped. */
    private static void publishUntilHeard(RedisChangeSignals from, long workflowId, Recorder to) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> {
            from.publish(new StoreChange(workflowId, 2, 0, 1, false));
            return to.workflows.contains(workflowId);
        });
    }

    @Test
    void signalsOnAnotherChannelAreNotHeard() {
        Recorder heard = new Recorder();
        Recorder other = new Recorder();
        String channel = TestRedis.newChannel();
        try (RedisChangeSignals here = TestRedis.signals(channel);
             RedisChangeSignals elsewhere = TestRedis.signals(TestRedis.newChannel());
             RedisChangeSignals sameChannel = TestRedis.signals(channel)) {
            here.start(heard);
            sameChannel.start(other);
            await().atMost(WAIT).until(() -> heard.connected.get() == 1 && other.connected.get() == 1);
            await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> {
                elsewhere.publish(new StoreChange(5, 2, 0, 1, false));
                here.publish(new StoreChange(6, 2, 0, 1, false));
                return other.workflows.contains(6L);
            });
            assertThat(heard.workflows).isEmpty();
            assertThat(other.workflows).doesNotContain(5L);
        }
    }

    @Test
    void aMessageThatIsNoSignalOfOursIsIgnored() {
        try (RedisChangeSignals signals = TestRedis.signals(TestRedis.newChannel())) {
            assertThat(signals.parse("someone|12,13")).containsExactly(12L, 13L);
            assertThat(signals.parse("hello")).isEmpty();
            assertThat(signals.parse("someone|12,x")).isEmpty();
            assertThat(signals.parse("someone|")).isEmpty();
        }
    }

    @Test
    void aRedisThatIsDownFailsNothingAndIsSaidToBeNotHeard() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Recorder heard = new Recorder();
        try (RedisChangeSignals signals = RedisChangeSignals.builder().uri("redis://127.0.0.1:" + port)
                .clientResources(TestRedis.resources()).build()) {
            signals.start(heard);
            signals.publish(new StoreChange(1, 2, 0, 1, false));
            await().atMost(WAIT).until(() -> !heard.disconnected.isEmpty());
            assertThat(heard.connected).hasValue(0);
        }
    }

    @Test
    void aSubscriptionCutByTheServerIsSaidLostThenComesBackByItself() {
        String channel = TestRedis.newChannel();
        String name = TestRedis.newClientName();
        Recorder heard = new Recorder();
        Recorder other = new Recorder();
        try (RedisChangeSignals signals = RedisChangeSignals.builder().uri(TestRedis.uriNamed(name)).channel(channel)
                .clientResources(TestRedis.resources()).build();
             RedisChangeSignals publisher = TestRedis.signals(channel)) {
            signals.start(heard);
            publisher.start(other);
            await().atMost(WAIT).until(() -> heard.connected.get() == 1 && other.connected.get() == 1);

            assertThat(TestRedis.killClients(name)).isEqualTo(2); // its publishing and subscribed connections

            await().atMost(WAIT).until(() -> !heard.disconnected.isEmpty() && heard.connected.get() == 2);
            publishUntilHeard(publisher, 9, heard);
            publishUntilHeard(signals, 10, other);
        }
    }

    @Test
    void theBuilderNamesWhatIsWrong() {
        assertThatThrownBy(() -> RedisChangeSignals.builder().build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("uri");
        assertThatThrownBy(() -> RedisChangeSignals.builder().uri("http://example"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("uri");
        assertThatThrownBy(() -> RedisChangeSignals.builder().channel(" "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("channel");
        assertThatThrownBy(() -> RedisChangeSignals.builder().uri((String) null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("uri");
    }

    @Test
    void signalsServeOneStore() {
        RedisChangeSignals signals = TestRedis.signals(TestRedis.newChannel());
        signals.start(new Recorder());
        assertThatThrownBy(() -> signals.start(new Recorder()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("of its own");
        signals.close();
        signals.close();
        RedisChangeSignals closed = TestRedis.signals(TestRedis.newChannel());
        closed.close();
        assertThatThrownBy(() -> closed.start(new Recorder()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        closed.publish(new StoreChange(1, 2, 0, 1, false)); // nothing, and no failure
    }

    /** A receiver that keeps what it was told. */
    static final class Recorder implements ChangeSignals.Receiver {
        final List<Long> workflows = new CopyOnWriteArrayList<>();
        final AtomicInteger connected = new AtomicInteger();
        final List<Throwable> disconnected = new CopyOnWriteArrayList<>();

        @Override
        public void changed(Collection<Long> workflowIds) {
            workflows.addAll(workflowIds);
        }

        @Override
        public void connected() {
            connected.incrementAndGet();
        }

        @Override
        public void disconnected(Throwable cause) {
            disconnected.add(cause);
        }
    }
}
