package dev.workflowthread.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The per-socket send queue: never blocks the caller, keeps order, and drops a client that falls too far behind. */
class OutboxTest {

    /** A connection that records sends and leaves completing them to the test (or completes them at once). */
    private static final class FakeSession {
        final List<String> sent = Collections.synchronizedList(new ArrayList<>());
        final List<SocketSender.Completion> pending = new CopyOnWriteArrayList<>();
        final List<Integer> closedWith = new CopyOnWriteArrayList<>();
        final SocketSender session;

        FakeSession(boolean completeAtOnce) {
            this.session = new SocketSender() {
                @Override
                public void sendText(String text, Completion completion) {
                    sent.add(text);
                    if (completeAtOnce) {
                        completion.sent();
                    } else {
                        pending.add(completion);
                    }
                }

                @Override
                public void close(int code, String reason) {
                    closedWith.add(code);
                }
            };
        }

        void completeOne() {
            pending.remove(0).sent();
        }
    }

    @Test
    void sendsOneAtATimeInOrder() {
        FakeSession client = new FakeSession(false);
        Outbox outbox = new Outbox(client.session, 100, Long.MAX_VALUE, () -> { });

        outbox.send("a");
        outbox.send("b");
        outbox.send("c");

        assertThat(client.sent).containsExactly("a");
        client.completeOne();
        assertThat(client.sent).containsExactly("a", "b");
        client.completeOne();
        client.completeOne();
        assertThat(client.sent).containsExactly("a", "b", "c");
        assertThat(client.pending).isEmpty();
    }

    @Test
    void aClientThatNeverReadsDoesNotHoldUpTheSender() {
        FakeSession stuck = new FakeSession(false);
        Outbox outbox = new Outbox(stuck.session, 1000, Long.MAX_VALUE, () -> { });

        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            for (int i = 0; i < 500; i++) {
                outbox.send("event " + i);
            }
        });

        assertThat(stuck.sent).hasSize(1);
        assertThat(stuck.closedWith).isEmpty();
    }

    @Test
    void aClientTooFarBehindIsDisconnectedSoThatItCatchesUpFromTheStore() {
        FakeSession slow = new FakeSession(false);
        Outbox outbox = new Outbox(slow.session, 10, Long.MAX_VALUE, () -> { });

        for (int i = 0; i < 15; i++) {
            outbox.send("event " + i);
        }

        assertThat(slow.closedWith).containsExactly(SocketSession.TRY_AGAIN_LATER);
        slow.completeOne();
        assertThat(slow.sent).as("nothing more is sent once it is dropped").hasSize(1);
    }

    @Test
    void aClientTooFarBehindInCharactersIsDisconnectedAndTheConnectionToldSo() {
        FakeSession slow = new FakeSession(false);
        AtomicInteger overflows = new AtomicInteger();
        Outbox outbox = new Outbox(slow.session, 1000, 10_000, overflows::incrementAndGet);
        String large = "x".repeat(1_000);

        // The first is sent at once; ten more wait, 10,000 characters; the next is one too many.
        for (int i = 0; i < 11; i++) {
            outbox.send(large);
        }
        assertThat(slow.closedWith).isEmpty();
        outbox.send(large);

        assertThat(slow.closedWith).containsExactly(SocketSession.TRY_AGAIN_LATER);
        assertThat(overflows).hasValue(1);
        outbox.send(large);
        assertThat(overflows).as("told once").hasValue(1);
    }

    @Test
    void sendsThatCompleteAtOnceDoNotRecurse() {
        FakeSession fast = new FakeSession(true);
        Outbox outbox = new Outbox(fast.session, 10, Long.MAX_VALUE, () -> { });

        for (int i = 0; i < 200_000; i++) {
            outbox.send("event " + i);
        }

        assertThat(fast.sent).hasSize(200_000);
        assertThat(fast.closedWith).isEmpty();
    }

    @Test
    void manySendersLoseNothingAndNeverSendTwoAtOnce() throws InterruptedException {
        FakeSession client = new FakeSession(false);
        Outbox outbox = new Outbox(client.session, 100_000, Long.MAX_VALUE, () -> { });
        ExecutorService senders = Executors.newFixedThreadPool(4);
        CountDownLatch done = new CountDownLatch(4);
        for (int t = 0; t < 4; t++) {
            int sender = t;
            senders.execute(() -> {
                for (int i = 0; i < 1000; i++) {
                    outbox.send(sender + ":" + i);
                }
                done.countDown();
            });
        }
        // The client acknowledges sends as they come, on this thread, while the senders go on.
        int completed = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (completed < 4000 && System.nanoTime() < deadline) {
            assertThat(client.pending.size()).as("sends in flight").isLessThanOrEqualTo(1);
            if (!client.pending.isEmpty()) {
                client.completeOne();
                completed++;
            } else {
                Thread.onSpinWait();
            }
        }
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        senders.shutdown();

        assertThat(client.sent).hasSize(4000).doesNotHaveDuplicates();
        assertThat(completed).isEqualTo(4000);
        for (int t = 0; t < 4; t++) {
            String prefix = t + ":";
            assertThat(client.sent.stream().filter(text -> text.startsWith(prefix)).toList())
                    .as("sender %d's texts in its order", t)
                    .containsExactlyElementsOf(java.util.stream.IntStream.range(0, 1000).mapToObj(i -> prefix + i).toList());
        }
    }
}
