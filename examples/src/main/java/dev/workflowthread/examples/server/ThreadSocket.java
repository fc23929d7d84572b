package dev.workflowthread.examples.server;

import dev.workflowthread.web.SocketSender;
import dev.workflowthread.web.SocketSession;
import dev.workflowthread.web.ThreadSockets;
import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsContext;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * The WebSocket at {@code /ws} on Javalin: one of the web module's {@link SocketSession}s per
 * connection, which has the whole protocol (subscribe with a last seq, replay then live, a send
 * queue per connection, heartbeats). This glue only hands it the frames and sends what it sends.
 */
final class ThreadSocket {
    private final ThreadSockets sockets;
    private final Map<String, SocketSession> sessions = new ConcurrentHashMap<>();

    ThreadSocket(ThreadSockets sockets) {
        this.sockets = sockets;
    }

    void configure(WsConfig ws) {
        ws.onConnect(ctx -> {
            ctx.enableAutomaticPings(15, TimeUnit.SECONDS);
            sessions.put(ctx.sessionId(), sockets.open(sender(ctx.session)));
        });
        ws.onMessage(ctx -> {
            SocketSession session = sessions.get(ctx.sessionId());
            if (session != null) {
                session.onText(ctx.message());
            }
        });
        ws.onClose(this::disconnected);
        ws.onError(this::disconnected);
    }

    private void disconnected(WsContext ctx) {
        SocketSession session = sessions.remove(ctx.sessionId());
        if (session != null) {
            session.onClose();
        }
    }

    /** Jetty's asynchronous send, whose callback completes the session's send. */
    private static SocketSender sender(Session session) {
        return new SocketSender() {
            @Override
            public void sendText(String text, Completion completion) {
                session.sendText(text, new Callback() {
                    @Override
                    public void succeed() {
                        completion.sent();
                    }

                    @Override
                    public void fail(Throwable cause) {
                        completion.failed(cause);
                    }
                });
            }

            @Override
            public void close(int code, String reason) {
                session.close(code, reason, Callback.NOOP);
            }
        };
    }
}
