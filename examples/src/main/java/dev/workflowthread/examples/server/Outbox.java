package dev.workflowthread.examples.server;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the server has still to send on one WebSocket. {@link #send} only queues the text and
 * returns: the library's listener threads call it, and a slow client must not hold them up. One
 * asynchronous send is in flight at a time; its completion starts the next. A client that falls
 * more than {@code maxMessages} messages, or {@code maxChars} characters, behind is disconnected
 * (close code 1013, "try again later") and {@code onOverflow} runs: it reconnects with the last
 * {@code seq} it saw and catches up from the store, so it loses nothing, while the server holds
 * no more than that for it.
 */
final class Outbox {
    private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);

    private final Session session;
    private final int maxMessages;
    private final long maxChars;
    private final Runnable onOverflow;
    private final Queue<String> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicLong queuedChars = new AtomicLong();
    private final AtomicBoolean sending = new AtomicBoolean();
    private volatile boolean closed;

    Outbox(Session session, int maxMessages, long maxChars, Runnable onOverflow) {
        this.session = session;
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
            // WARN: the demo logs only warnings and errors, and an operator should see clients dropped.
            LOG.warn("a WebSocket client fell {} messages ({} characters) behind; disconnecting it (close code 1013)"
                    + " so that it catches up when it reconnects", messages, chars);
            session.close(StatusCode.TRY_AGAIN_LATER, "too far behind: reconnect with your last seq", Callback.NOOP);
            onOverflow.run();
            return;
        }
        queue.add(text);
        drain();
    }

    /** True when everything queued was sent (or the outbox closed): nothing is on its way. */
    boolean idle() {
        return closed || (queue.isEmpty() && !sending.get());
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
            Completion completion = new Completion();
            session.sendText(next, completion);
            if (completion.returnedBeforeCompletion()) {
                return; // the completion drains on when the send is done
            }
            // The send completed inline: go on here, rather than recursing in the callback.
        }
    }

    /** The callback of one send: hands the next send to whichever thread finishes last. */
    private final class Completion implements Callback {
        private static final int IN_FLIGHT = 0;
        private static final int COMPLETED = 1;
        private static final int RETURNED = 2;
        private final AtomicInteger state = new AtomicInteger(IN_FLIGHT);

        boolean returnedBeforeCompletion() {
            return state.compareAndSet(IN_FLIGHT, RETURNED);
        }

        @Override
        public void succeed() {
            sending.set(false);
            if (!state.compareAndSet(IN_FLIGHT, COMPLETED)) {
                drain();
            }
        }

        @Override
        public void fail(Throwable cause) {
            LOG.debug("sending on a WebSocket failed; it is closing", cause);
            close();
            sending.set(false);
            state.set(COMPLETED);
        }
    }
}
