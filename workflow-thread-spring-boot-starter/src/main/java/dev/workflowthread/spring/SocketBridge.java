package dev.workflowthread.spring;

import dev.workflowthread.web.SocketSender;
import dev.workflowthread.web.SocketSession;
import dev.workflowthread.web.ThreadSockets;
import dev.workflowthread.web.WebResponse;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.TextWebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;

/** A Spring WebSocket connection as a {@link SocketSession} of the web layer. */
final class SocketBridge extends TextWebSocketHandler {
    private static final Logger LOG = LoggerFactory.getLogger(SocketBridge.class);
    private static final String SESSION = SocketSession.class.getName();

    private final ThreadSockets sockets;

    SocketBridge(ThreadSockets sockets) {
        this.sockets = sockets;
    }

    @Override
    public void afterConnectionEstablished(WebSocketSession connection) {
        connection.getAttributes().put(SESSION, sockets.open(new Sender(connection)));
    }

    @Override
    protected void handleTextMessage(WebSocketSession connection, TextMessage message) {
        SocketSession session = (SocketSession) connection.getAttributes().get(SESSION);
        if (session != null) {
            session.onText(message.getPayload());
        }
    }

    @Override
    public void afterConnectionClosed(WebSocketSession connection, CloseStatus status) {
        SocketSession session = (SocketSession) connection.getAttributes().remove(SESSION);
        if (session != null) {
            session.onClose();
        }
    }

    /** Sends on the connection: one text at a time (the session waits for each), so a plain blocking send. */
    private record Sender(WebSocketSession connection) implements SocketSender {
        @Override
        public void sendText(String text, Completion completion) {
            try {
                connection.sendMessage(new TextMessage(text));
            } catch (IOException | RuntimeException e) {
                completion.failed(e);
                return;
            }
            completion.sent();
        }

        @Override
        public void close(int code, String reason) {
            try {
                connection.close(new CloseStatus(code, reason));
            } catch (IOException e) {
                LOG.debug("closing a WebSocket failed", e);
            }
        }
    }

    /** Runs the web layer's checks of an upgrade (a method override, a page of another site) before Spring's. */
    static final class UpgradeCheck implements HandshakeInterceptor {
        @Override
        public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response,
                                       WebSocketHandler handler, Map<String, Object> attributes) throws IOException {
            if (!(request instanceof ServletServerHttpRequest servlet)) {
                return true;
            }
            HttpServletRequest upgrade = servlet.getServletRequest();
            Optional<WebResponse> refusal = ThreadSockets.refuseUpgrade(RestBridge.webRequest(upgrade, new byte[0]));
            if (refusal.isEmpty()) {
                return true;
            }
            response.setStatusCode(HttpStatusCode.valueOf(refusal.get().status()));
            refusal.get().headers().forEach((name, value) -> response.getHeaders().set(name, value));
            response.getBody().write(refusal.get().body());
            return false;
        }

        @Override
        public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
                                   Exception exception) {
        }
    }
}
