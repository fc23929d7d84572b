package dev.workflowthread.web;

import dev.workflowthread.MessageType;
import dev.workflowthread.StorageException;
import dev.workflowthread.Subscription;
import dev.workflowthread.ThreadEvent;
import dev.workflowthread.WorkflowNotFoundException;
import dev.workflowthread.WorkflowState;
import dev.workflowthread.json.WireFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket connection: what it follows, and what is on its way to it. Made by
 * {@link ThreadSockets#open}; the host hands it every text frame the connection receives
 * ({@link #onText}) and tells it when the connection closed ({@link #onClose}).
 *
 * <p>The client sends {@code {"type":"subscribe:workflow","workflowId":7,"lastSeq":12}}
 * ({@code lastSeq} optional, 0 for the whole history) and gets {@code subscribed}, a
 * {@code workflow:updated} with the workflow's document (its {@code seq} is the {@code lastSeq}
 * the replay starts after), then every event of that workflow after {@code lastSeq}, once each, in
 * {@code seq} order: the library's ({@code message:new}, {@code workflow:paused}, …) and, after
 * each one that changes the workflow's state, a {@code workflow:updated} with the state as it is
 * then. {@code {"type":"unsubscribe:workflow","workflowId":7}} stops them. A text the session
 * cannot take gets {@code {"event":"error","status":400,"error":"…","field":"…"}} (404 for an
 * unknown workflow, 409 for a second subscription to the same one). One connection may follow
 * several workflows, each once.
 *
 * <p>The session never waits for the client: it has a send queue of its own, one send in flight at
 * a time; a client that falls too far behind is disconnected with {@link #TRY_AGAIN_LATER} and
 * catches up from the store when it reconnects with its last {@code seq}. A connection silent for
 * the heartbeat interval is sent {@code {"event":"heartbeat","workflowId":7,"seq":12,
 * "intervalMillis":15000}} for each workflow it follows ({@code seq}: the last one sent of it), or
 * {@code {"event":"heartbeat","intervalMillis":15000}} when it follows none.
 */
public final class SocketSession {
    private static final Logger LOG = LoggerFactory.getLogger(SocketSession.class);
    /** The close code of a client too far behind: reconnect and catch up. */
    public static final int TRY_AGAIN_LATER = 1013;
    /** The close code of a stopping server. */
    public static final int GOING_AWAY = 1001;
    /** The {@code type} of a subscription. */
    public static final String SUBSCRIBE = "subscribe:workflow";
    /** The {@code type} that ends one. */
    public static final String UNSUBSCRIBE = "unsubscribe:workflow";
    /** The {@code event} of a heartbeat. */
    public static final String HEARTBEAT = "heartbeat";
    private static final List<String> FIELDS = List.of("type", "workflowId", "lastSeq");

    private final ThreadSockets hub;
    final SocketSender sender;
    private final Outbox outbox;
    /**
     * The workflows followed. Changed, and events forwarded, only while holding this session's
     * lock, so that no event of a subscription that was closed is sent after it.
     */
    private final Map<Long, Following> following = new ConcurrentHashMap<>();
    private volatile boolean closed;

    SocketSession(ThreadSockets hub, SocketSender sender) {
        this.hub = hub;
        this.sender = sender;
        // A client too far behind is dropped whole: its subscriptions stop reading too.
        this.outbox = new Outbox(sender, hub.maxQueuedMessages, hub.maxQueuedChars, this::onClose);
    }

    /**
     * Takes one text frame the client sent; answers on the connection (never throws for what the
     * client sent).
     *
     * @param text the frame's text
     */
    public void onText(String text) {
        if (closed) {
            return;
        }
        try {
            Map<String, Object> request = JsonBodies.object(text, true, FIELDS);
            String type = JsonBodies.optionalText(request, "type");
            if (SUBSCRIBE.equals(type)) {
                subscribe(workflowId(request), JsonBodies.wholeNumber(request, "lastSeq", 0, 0L,
                        "a whole number of at least 0"));
            } else if (UNSUBSCRIBE.equals(type)) {
                unsubscribe(workflowId(request));
            } else {
                throw WebRefusal.badRequest("type", "type must be " + SUBSCRIBE + " or " + UNSUBSCRIBE + ", but was "
                        + (type == null ? "missing" : "'" + type + "'"));
            }
        } catch (WebRefusal e) {
            outbox.send(error(e.status(), e.field(), e.getMessage()));
        } catch (WorkflowNotFoundException e) {
            // A row of the host's table whose thread never started (its creation failed half-way).
            outbox.send(error(404, "workflowId", "workflow " + e.workflowId() + " not found"));
        } catch (StorageException e) {
            LOG.error("a WebSocket message failed in the store: {}", text, e);
            outbox.send(error(503, null, "the database failed: " + e.getMessage()));
        } catch (RuntimeException e) {
            LOG.warn("a WebSocket message failed: {}", text, e);
            outbox.send(error(500, null, "the server failed: " + e.getMessage()));
        }
    }

    /** The connection closed (or failed): its subscriptions stop, and nothing more is sent. A second call does nothing. */
    public synchronized void onClose() {
        closed = true;
        following.values().forEach(followed -> {
            if (followed.subscription != null) {
                followed.subscription.close();
            }
        });
        following.clear();
        outbox.close();
        hub.closed(this);
    }

    /**
     * Whether every event of the followed workflows, up to their newest seq now, was sent: with
     * the event that finished a workflow that was running when it was subscribed (it comes after
     * the system message of the same seq).
     *
     * @return true when nothing is on its way (or the session closed)
     */
    public boolean caughtUp() {
        if (closed) {
            return true;
        }
        for (Following followed : following.values()) {
            WorkflowState state = hub.messages.getState(followed.workflowId);
            if (followed.forwardedSeq < state.lastSeq()
                    || (state.isFinished() && !followed.finishedWhenSubscribed && !followed.finishForwarded)) {
                return false;
            }
        }
        return outbox.idle();
    }

    private synchronized void subscribe(long workflowId, long lastSeq) {
        if (following.containsKey(workflowId)) {
            throw WebRefusal.conflict("workflowId", "this connection follows workflow " + workflowId
                    + " already; unsubscribe first, or open a new connection");
        }
        Map<String, Object> fields = hub.host.find(workflowId).orElseThrow(
                () -> WebRefusal.notFound("workflowId", "workflow " + workflowId + " not found"));
        WorkflowState state = hub.messages.getState(workflowId);
        // Queued before the subscription exists, so they come before its first event.
        outbox.send(subscribed(workflowId, lastSeq));
        // Its seq is where the replay starts, not the workflow's newest: a client that keeps the
        // seq of every event as its cursor must not skip the replayed messages.
        outbox.send(Documents.updated(workflowId, Math.min(lastSeq, state.lastSeq()), Documents.workflow(state, fields)));
        Following followed = new Following(workflowId, fields, lastSeq, state.isFinished());
        following.put(workflowId, followed);
        try {
            // Its events wait for this lock, so they come after the two texts above.
            followed.subscription = hub.messages.subscribe(workflowId, lastSeq, event -> forward(followed, event));
        } catch (RuntimeException e) {
            following.remove(workflowId, followed);
            throw e;
        }
        if (closed) {
            followed.subscription.close(); // the connection closed while this subscribed
        }
    }

    private synchronized void unsubscribe(long workflowId) {
        Following followed = following.remove(workflowId);
        if (followed == null) {
            throw WebRefusal.notFound("workflowId", "this connection does not follow workflow " + workflowId);
        }
        followed.subscription.close();
        Map<String, Object> node = new LinkedHashMap<>();
        node.put("event", "unsubscribed");
        node.put("workflowId", workflowId);
        outbox.send(Documents.write(node));
    }

    /** Runs on the library's listener thread: queues, never waits for the client. */
    private synchronized void forward(Following followed, ThreadEvent event) {
        if (following.get(followed.workflowId) != followed) {
            return; // a late event of a subscription closed meanwhile
        }
        outbox.send(WireFormat.event(event));
        if (changesState(event)) {
            WorkflowState state = hub.messages.getState(followed.workflowId);
            outbox.send(Documents.updated(followed.workflowId, event.seq(), Documents.workflow(state, followed.fields)));
        }
        followed.forwardedSeq = Math.max(followed.forwardedSeq, event.seq());
        if (finishes(event)) {
            followed.finishForwarded = true;
        }
    }

    /** Sends the heartbeats when nothing was sent for {@code nanos}; called by the hub's timer. */
    synchronized void heartbeatIfSilentFor(long nanos) {
        if (closed || !outbox.idle() || outbox.nanosSinceLastSend() < nanos) {
            return;
        }
        long intervalMillis = hub.heartbeat.toMillis();
        if (following.isEmpty()) {
            Map<String, Object> node = new LinkedHashMap<>();
            node.put("event", HEARTBEAT);
            node.put("intervalMillis", intervalMillis);
            outbox.send(Documents.write(node));
            return;
        }
        for (Following followed : following.values()) {
            Map<String, Object> node = new LinkedHashMap<>();
            node.put("event", HEARTBEAT);
            node.put("workflowId", followed.workflowId);
            node.put("seq", followed.forwardedSeq);
            node.put("intervalMillis", intervalMillis);
            outbox.send(Documents.write(node));
        }
    }

    /** A workflow a session follows: its subscription, and how far its events were sent. */
    private static final class Following {
        final long workflowId;
        final Map<String, Object> fields;
        final boolean finishedWhenSubscribed;
        volatile Subscription subscription;
        volatile long forwardedSeq;
        volatile boolean finishForwarded;

        Following(long workflowId, Map<String, Object> fields, long afterSeq, boolean finishedWhenSubscribed) {
            this.workflowId = workflowId;
            this.fields = fields;
            this.forwardedSeq = afterSeq;
            this.finishedWhenSubscribed = finishedWhenSubscribed;
        }
    }

    /** The event of a workflow's finish: completed, failed, cancelled or redirected. */
    static boolean finishes(ThreadEvent event) {
        return event instanceof ThreadEvent.WorkflowCompleted || event instanceof ThreadEvent.WorkflowFailed
                || event instanceof ThreadEvent.WorkflowCancelled || event instanceof ThreadEvent.WorkflowRedirected;
    }

    /** A state event, or a person's control message (which requests a pause, or withdraws one). */
    static boolean changesState(ThreadEvent event) {
        if (event instanceof ThreadEvent.MessageAdded added) {
            return added.message().messageType() == MessageType.USER && added.message().actionType().isControl();
        }
        return true;
    }

    private static long workflowId(Map<String, Object> request) {
        return JsonBodies.wholeNumber(request, "workflowId", 1, null, "a positive whole number");
    }

    private static String subscribed(long workflowId, long lastSeq) {
        Map<String, Object> node = new LinkedHashMap<>();
        node.put("event", "subscribed");
        node.put("workflowId", workflowId);
        node.put("lastSeq", lastSeq);
        return Documents.write(node);
    }

    /** {@code {"event":"error"}} and the REST API's error body. */
    private static String error(int status, String field, String message) {
        Map<String, Object> node = new LinkedHashMap<>();
        node.put("event", "error");
        node.putAll(Documents.error(status, field, message));
        return Documents.write(node);
    }
}
