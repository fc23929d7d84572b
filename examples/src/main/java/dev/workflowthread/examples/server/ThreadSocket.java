package dev.workflowthread.examples.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.workflowthread.MessageType;
import dev.workflowthread.Subscription;
import dev.workflowthread.ThreadEvent;
import dev.workflowthread.WorkflowMessages;
import dev.workflowthread.WorkflowState;
import dev.workflowthread.json.WireFormat;
import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsContext;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
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
 * one that changes the workflow's state, a {@code workflow:updated} with the state as it is then.
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
        private final Map<Long, Subscription> subscriptions = new ConcurrentHashMap<>();
        private volatile boolean closed;

        Connection(Session session) {
            this.session = session;
            this.outbox = new Outbox(session, OUTBOX_LIMIT);
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
            } catch (RuntimeException e) {
                LOG.warn("a WebSocket message failed: {}", text, e);
                outbox.send(error(500, null, "the server failed: " + e.getMessage()));
            }
        }

        private void subscribe(long workflowId, long lastSeq) {
            if (subscriptions.containsKey(workflowId)) {
                throw ApiError.conflict("workflowId", "this connection follows workflow " + workflowId
                        + " already; unsubscribe first, or open a new connection");
            }
            HostWorkflows.HostWorkflow workflow = host.find(workflowId).orElseThrow(
                    () -> ApiError.notFound("workflowId", "workflow " + workflowId + " not found"));
            WorkflowState state = messages.getState(workflowId);
            // Queued before the subscription exists, so they come before its first event.
            outbox.send(subscribed(workflowId, lastSeq));
            outbox.send(WorkflowJson.updated(workflowId, state.lastSeq(), WorkflowJson.workflow(workflow, state)));
            Subscription subscription = messages.subscribe(workflowId, lastSeq, event -> forward(workflow, event));
            subscriptions.put(workflowId, subscription);
            if (closed) {
                subscription.close(); // the socket closed while this subscribed
            }
        }

        private void unsubscribe(long workflowId) {
            Subscription subscription = subscriptions.remove(workflowId);
            if (subscription == null) {
                throw ApiError.notFound("workflowId", "this connection does not follow workflow " + workflowId);
            }
            subscription.close();
            ObjectNode node = JsonBodies.MAPPER.createObjectNode();
            node.put("event", "unsubscribed");
            node.put("workflowId", workflowId);
            outbox.send(WorkflowJson.write(node));
        }

        /** Runs on the library's listener thread: queues, never waits for the client. */
        private void forward(HostWorkflows.HostWorkflow workflow, ThreadEvent event) {
            outbox.send(WireFormat.event(event));
            if (changesState(event)) {
                WorkflowState state = messages.getState(workflow.id());
                outbox.send(WorkflowJson.updated(workflow.id(), event.seq(), WorkflowJson.workflow(workflow, state)));
            }
        }

        void close() {
            closed = true;
            subscriptions.values().forEach(Subscription::close);
            subscriptions.clear();
            outbox.close();
        }
    }

    /** A state event, or a person's control message (which requests a pause, or withdraws one). */
    static boolean changesState(ThreadEvent event) {
        if (event instanceof ThreadEvent.MessageAdded added) {
            return added.message().messageType() == MessageType.USER && added.message().actionType().isControl();
        }
        return true;
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
