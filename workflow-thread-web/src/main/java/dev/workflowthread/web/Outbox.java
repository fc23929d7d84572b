package dev.workflowthread.web;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What is still to be sent on one WebSocket. {@link #send} only queues the text and returns: the
 * library's listener threads call it, and a slow client must not hold them up. One send is in
 * flight at a time; its completion starts the next. A client that falls more than
 * {@code maxMessages} messages, or {@code maxChars} characters, behind is disconnected (close code
 * 1013, "try again later") and {@code onOverflow} runs: it reconnects with the last {@code seq} it
 * saw and catches up from the store, so it loses nothing, while the server holds no more than that
 * for it.
 */
final class Outbox {
    private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);

    private final SocketSender sender;
    private final int maxMessages;
    private final long maxChars;
    private final Runnable onOverflow;
    private final Queue<String> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicLong queuedChars = new AtomicLong();
    private final AtomicBoolean sending = new AtomicBoolean();
    private volatile boolean closed;
    /** When the last text was handed to the sender (System.nanoTime). */
    private volatile long lastSendNanos = System.nanoTime();

    Outbox(SocketSender sender, int maxMessages, long maxChars, Runnable onOverflow) {
        this.sender = sender;
        this.maxMessages = maxMessages;
        this.maxChars = maxChars;
        this.onOverflow = onOverflow;
    }

    /** Queues {@code text} for sending; never blocks. */
    void send(String text) {
        if (closed) {
            return;
        }
        int messages = queued.incrementAndGet();
        long chars = queuedChars.addAndGet(text.length());
        if (messages > maxMessages || chars > maxChars) {
            close();
            // WARN: an operator should see clients dropped.
            LOG.warn("a WebSocket client fell {} messages ({} characters) behind; disconnecting it (close code 1013)"
                    + " so that it catches up when it reconnects", messages, chars);
            try {
                sender.close(SocketSession.TRY_AGAIN_LATER, "too far behind: reconnect with your last seq");
            } finally {
                onOverflow.run();
            }
            return;
        }
        queue.add(text);
        drain();
    }

    /** True when everything queued was sent (or the outbox closed): nothing is on its way. */
    boolean idle() {
        return closed || (queue.isEmpty() && !sending.get());
    }

    /** How long ago a text was last handed to the client's connection, in nanoseconds. */
    long nanosSinceLastSend() {
        return System.nanoTime() - lastSendNanos;
    }

    boolean closed() {
        return closed;
    }

    /** Drops whatever is queued and sends nothing more. */
    void close() {
        closed = true;
        queue.clear();
    }

    private void drain() {
        while (!closed && sending.compareAndSet(false, true)) {
            String next = queue.poll();
            if (next == null) {
                sending.set(false);
                if (queue.isEmpty()) {
                    return;
                }
                continue; // something came in between the poll and the reset
            }
            queued.decrementAndGet();
            queuedChars.addAndGet(-next.length());
            lastSendNanos = System.nanoTime();
            Completion completion = new Completion();
            try {
                sender.sendText(next, completion);
            } catch (RuntimeException e) {
                completion.failed(e);
                return;
            }
            if (completion.returnedBeforeCompletion()) {
                return; // the completion drains on when the send is done
            }
            // The send completed inline: go on here, rather than recursing in the callback.
        }
    }

    /** The completion of one send: hands the next send to whichever thread finishes last. */
    private final class Completion implements SocketSender.Completion {
        private static final int IN_FLIGHT = 0;
        private static final int COMPLETED = 1;
        private static final int RETURNED = 2;
        private final AtomicInteger state = new AtomicInteger(IN_FLIGHT);
        private final AtomicBoolean done = new AtomicBoolean();

        boolean returnedBeforeCompletion() {
            return state.compareAndSet(IN_FLIGHT, RETURNED);
        }

        @Override
        public void sent() {
            if (!done.compareAndSet(false, true)) {
                return; // a second call of the same completion
            }
            sending.set(false);
            if (!state.compareAndSet(IN_FLIGHT, COMPLETED)) {
                drain();
            }
        }

        @Override
        public void failed(Throwable cause) {
            if (!done.compareAndSet(false, true)) {
                return;
            }
            LOG.debug("sending on a WebSocket failed; it is closing", cause);
            close();
            sending.set(false);
            state.set(COMPLETED);
        }
    }
}
