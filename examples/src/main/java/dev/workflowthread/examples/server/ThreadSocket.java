package dev.workflowthread.examples.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.workflowthread.MessageType;
import dev.workflowthread.StorageException;
import dev.workflowthread.Subscription;
import dev.workflowthread.ThreadEvent;
import dev.workflowthread.WorkflowMessages;
import dev.workflowthread.WorkflowNotFoundException;
import dev.workflowthread.WorkflowState;
import dev.workflowthread.json.WireFormat;
import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsContext;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WebSocket at {@code /ws}: rooms per workflow, fed by {@link WorkflowMessages#subscribe}.
 *
 * <p>The client sends {@code {"type":"subscribe:workflow","workflowId":7,"lastSeq":12}}
 * ({@code lastSeq} optional, 0 for the whole history) and gets {@code subscribed}, a
 * {@code workflow:updated} with the workflow's state, then every event of that workflow after
 * {@code lastSeq}, once each, in {@code seq} order: the library's ({@code message:new},
 * {@code workflow:paused}, {@code workflow:unpaused}, {@code workflow:cancelled},
 * {@code workflow:redirected}, {@code workflow:completed}, {@code workflow:failed}) and, after each
 * one that changes the workflow's state, a {@code workflow:updated} with the state as it is then
 * (the one a state event carries; read for a person's control message, which carries none).
 * {@code {"type":"unsubscribe:workflow","workflowId":7}} stops them. A message the server cannot
 * take gets {@code {"event":"error","status":400,"error":"…","field":"…"}}. One connection may
 * follow several workflows, each once.
 */
final class ThreadSocket {
    private static final Logger LOG = LoggerFactory.getLogger(ThreadSocket.class);
    static final String SUBSCRIBE = "subscribe:workflow";
    static final String UNSUBSCRIBE = "unsubscribe:workflow";
    private static final List<String> FIELDS = List.of("type", "workflowId", "lastSeq");
    /** How many texts the server holds for a client that reads slowly before disconnecting it. */
    static final int OUTBOX_LIMIT = 10_000;
    /** And how many characters of them (16 MiB as Java holds them), whichever comes first. */
    static final long OUTBOX_MAX_CHARS = 8L * 1024 * 1024;

    private final WorkflowMessages messages;
    private final HostWorkflows host;
    private final Map<String, Connection> connections = new ConcurrentHashMap<>();

    ThreadSocket(WorkflowMessages messages, HostWorkflows host) {
        this.messages = messages;
        this.host = host;
    }

    void configure(WsConfig ws) {
        ws.onConnect(ctx -> {
            ctx.enableAutomaticPings(15, TimeUnit.SECONDS);
            connections.put(ctx.sessionId(), new Connection(ctx.session));
        });
        ws.onMessage(ctx -> {
            Connection connection = connections.get(ctx.sessionId());
            if (connection != null) {
                connection.handle(ctx.message());
            }
        });
        ws.onClose(ctx -> disconnected(ctx));
        ws.onError(ctx -> disconnected(ctx));
    }

    /** How many clients are connected. */
    int connectionCount() {
        return connections.size();
    }

    /**
     * Waits, at most {@code timeout}, until every connection was sent every event of the workflows
     * it follows, up to their newest {@code seq} now: a stopping server lets its clients see the
     * last words (a workflow failed because the server stops) before it closes them.
     */
    void awaitCaughtUp(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!connections.values().stream().allMatch(Connection::caughtUp)) {
            if (System.nanoTime() - deadline >= 0) {
                LOG.info("stopping with some WebSocket clients not caught up; they catch up when they reconnect");
                return;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }

    /** Closes every connection (close code 1001, "going away"), as a stopping server does. */
    void closeAll() {
        for (String id : List.copyOf(connections.keySet())) {
            Connection connection = connections.remove(id);
            if (connection != null) {
                connection.close();
                connection.session.close(StatusCode.SHUTDOWN, "server stopping", Callback.NOOP);
            }
        }
    }

    private void disconnected(WsContext ctx) {
        Connection connection = connections.remove(ctx.sessionId());
        if (connection != null) {
            connection.close();
        }
    }

    /** One client: what it follows, and what is on its way to it. */
    private final class Connection {
        private final Session session;
        private final Outbox outbox;
        /**
         * The workflows followed. Changed, and events forwarded, only while holding this
         * connection's lock, so that no event of a subscription that was closed is sent after it.
         */
        private final Map<Long, Following> following = new ConcurrentHashMap<>();
        private volatile boolean closed;

        Connection(Session session) {
            this.session = session;
            // A client too far behind is dropped whole: its subscriptions stop reading too.
            this.outbox = new Outbox(session, OUTBOX_LIMIT, OUTBOX_MAX_CHARS, this::close);
        }

        void handle(String text) {
            try {
                ObjectNode request = JsonBodies.object(text, true, FIELDS);
                String type = JsonBodies.optionalText(request, "type");
                if (SUBSCRIBE.equals(type)) {
                    subscribe(workflowId(request), lastSeq(request));
                } else if (UNSUBSCRIBE.equals(type)) {
                    unsubscribe(workflowId(request));
                } else {
                    throw ApiError.badRequest("type", "type must be " + SUBSCRIBE + " or " + UNSUBSCRIBE + ", but was "
                            + (type == null ? "missing" : "'" + type + "'"));
                }
            } catch (ApiError e) {
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

        private synchronized void subscribe(long workflowId, long lastSeq) {
            if (following.containsKey(workflowId)) {
                throw ApiError.conflict("workflowId", "this connection follows workflow " + workflowId
                        + " already; unsubscribe first, or open a new connection");
            }
            HostWorkflows.HostWorkflow workflow = host.find(workflowId).orElseThrow(
                    () -> ApiError.notFound("workflowId", "workflow " + workflowId + " not found"));
            WorkflowState state = messages.getState(workflowId);
            // Queued before the subscription exists, so they come before its first event.
            outbox.send(subscribed(workflowId, lastSeq));
            // Its seq is where the replay starts, not the workflow's newest: a client that keeps the
            // seq of every event as its cursor must not skip the replayed messages.
            outbox.send(WorkflowJson.updated(workflowId, Math.min(lastSeq, state.lastSeq()),
                    WorkflowJson.workflow(workflow, state)));
            Following followed = new Following(workflow, lastSeq, state.isFinished());
            following.put(workflowId, followed);
            try {
                // Its events wait for this lock, so they come after the two texts above.
                followed.subscription = messages.subscribe(workflowId, lastSeq, event -> forward(followed, event));
            } catch (RuntimeException e) {
                following.remove(workflowId, followed);
                throw e;
            }
            if (closed) {
                followed.subscription.close(); // the socket closed while this subscribed
            }
        }

        private synchronized void unsubscribe(long workflowId) {
            Following followed = following.remove(workflowId);
            if (followed == null) {
                throw ApiError.notFound("workflowId", "this connection does not follow workflow " + workflowId);
            }
            followed.subscription.close();
            ObjectNode node = JsonBodies.MAPPER.createObjectNode();
            node.put("event", "unsubscribed");
            node.put("workflowId", workflowId);
            outbox.send(WorkflowJson.write(node));
        }

        /** Runs on the library's listener thread: queues, never waits for the client. */
        private synchronized void forward(Following followed, ThreadEvent event) {
            long workflowId = followed.workflow.id();
            if (following.get(workflowId) != followed) {
                return; // a late event of a subscription closed meanwhile
            }
            outbox.send(WireFormat.event(event));
            WorkflowState state = event instanceof ThreadEvent.StateChanged changed ? changed.state()
                    : requestsAChange(event) ? messages.getState(workflowId) : null;
            if (state != null) {
                outbox.send(WorkflowJson.updated(workflowId, event.seq(), WorkflowJson.workflow(followed.workflow, state)));
            }
            followed.forwardedSeq = Math.max(followed.forwardedSeq, event.seq());
            if (finishes(event)) {
                followed.finishForwarded = true;
            }
        }

        /**
         * Whether every event of the followed workflows, up to their newest seq now, was sent: with
         * the event that finished a workflow that was running when it was subscribed (it comes
         * after the system message of the same seq).
         */
        boolean caughtUp() {
            if (closed) {
                return true;
            }
            for (Following followed : following.values()) {
                WorkflowState state = messages.getState(followed.workflow.id());
                if (followed.forwardedSeq < state.lastSeq()
                        || (state.isFinished() && !followed.finishedWhenSubscribed && !followed.finishForwarded)) {
                    return false;
                }
            }
            return outbox.idle();
        }

        synchronized void close() {
            closed = true;
            following.values().forEach(followed -> {
                if (followed.subscription != null) {
                    followed.subscription.close();
                }
            });
            following.clear();
            outbox.close();
        }
    }

    /** A workflow a connection follows: its subscription, and how far its events were sent. */
    private static final class Following {
        final HostWorkflows.HostWorkflow workflow;
        final boolean finishedWhenSubscribed;
        volatile Subscription subscription;
        volatile long forwardedSeq;
        volatile boolean finishForwarded;

        Following(HostWorkflows.HostWorkflow workflow, long afterSeq, boolean finishedWhenSubscribed) {
            this.workflow = workflow;
            this.forwardedSeq = afterSeq;
            this.finishedWhenSubscribed = finishedWhenSubscribed;
        }
    }

    /** The event of a workflow's finish: completed, failed, cancelled or redirected. */
    static boolean finishes(ThreadEvent event) {
        return event instanceof ThreadEvent.WorkflowCompleted || event instanceof ThreadEvent.WorkflowFailed
                || event instanceof ThreadEvent.WorkflowCancelled || event instanceof ThreadEvent.WorkflowRedirected;
    }

    /**
     * A person's control message, which requests a pause or withdraws one: it changes the state
     * too, but is no state event, so it carries no state.
     */
    static boolean requestsAChange(ThreadEvent event) {
        return event instanceof ThreadEvent.MessageAdded added
                && added.message().messageType() == MessageType.USER && added.message().actionType().isControl();
    }

    private static long workflowId(ObjectNode request) {
        JsonNode node = request.get("workflowId");
        if (node == null || node.isNull()) {
            throw ApiError.badRequest("workflowId", "workflowId is required");
        }
        if (!node.canConvertToExactIntegral() || !node.canConvertToLong() || node.asLong() <= 0) {
            throw ApiError.badRequest("workflowId", "workflowId must be a positive whole number, but was " + node);
        }
        return node.asLong();
    }

    private static long lastSeq(ObjectNode request) {
        JsonNode node = request.get("lastSeq");
        if (node == null || node.isNull()) {
            return 0;
        }
        if (!node.canConvertToExactIntegral() || !node.canConvertToLong() || node.asLong() < 0) {
            throw ApiError.badRequest("lastSeq", "lastSeq must be a whole number of at least 0, but was " + node);
        }
        return node.asLong();
    }

    private static String subscribed(long workflowId, long lastSeq) {
        ObjectNode node = JsonBodies.MAPPER.createObjectNode();
        node.put("event", "subscribed");
        node.put("workflowId", workflowId);
        node.put("lastSeq", lastSeq);
        return WorkflowJson.write(node);
    }

    /** {@code {"event":"error"}} and the REST API's error body. */
    private static String error(int status, String field, String message) {
        ObjectNode node = JsonBodies.MAPPER.createObjectNode();
        node.put("event", "error");
        node.setAll(WorkflowJson.error(status, field, message));
        return WorkflowJson.write(node);
    }
}
