package dev.workflowthread.examples;

import dev.workflowthread.WorkflowMessages;
import dev.workflowthread.web.SocketSender;
import dev.workflowthread.web.SocketSession;
import dev.workflowthread.web.ThreadRestHandler;
import dev.workflowthread.web.ThreadSockets;
import dev.workflowthread.web.WebRequest;
import dev.workflowthread.web.WebResponse;
import dev.workflowthread.web.WorkflowHost;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.staticfiles.Location;
import java.util.Collections;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The README's lines that mount the web module's REST API, WebSocket and page on a server other
 * than Spring (Javalin here), as they are compiled; {@code ReadmeWebMountTest} checks the README
 * holds them and runs them.
 */
public final class ReadmeWebMount {
    private ReadmeWebMount() {
    }

    /**
     * Starts a server on {@code port} with the REST API under {@code /api}, the WebSocket at
     * {@code /ws} and the page under {@code /workflow-thread/}.
     *
     * @param messages    the library service
     * @param host        the host's workflows
     * @param currentUser the logged-in user's name of a request
     * @param port        the port, 0 for a free one
     * @return the started server
     */
    public static Javalin start(WorkflowMessages messages, WorkflowHost host, Function<Context, String> currentUser,
                                int port) {
        // README-BEGIN
        ThreadRestHandler rest = ThreadRestHandler.builder(messages, host).prefix("/api").build();
        ThreadSockets sockets = ThreadSockets.builder(messages, host).build();
        Map<String, SocketSession> sessions = new ConcurrentHashMap<>();
        Handler api = ctx -> {
            WebResponse response = rest.handle(request(ctx).body(ctx.bodyAsBytes())
                    .principal(() -> currentUser.apply(ctx)).build());   // the author of what they send
            response.headers().forEach(ctx::header);
            ctx.status(response.status()).result(response.body());
        };
        Javalin app = Javalin.create(config -> {
            config.routes.get("/api/*", api);
            config.routes.post("/api/*", api);
            config.routes.delete("/api/*", api);
            config.routes.wsBeforeUpgrade("/ws", ctx -> ThreadSockets.refuseUpgrade(request(ctx).build())
                    .ifPresent(refused -> ctx.status(refused.status()).result(refused.body()).skipRemainingHandlers()));
            config.routes.ws("/ws", ws -> {
                ws.onConnect(ctx -> sessions.put(ctx.sessionId(), sockets.open(new SocketSender() {
                    public void sendText(String text, Completion done) {
                        ctx.send(text);
                        done.sent();
                    }

                    public void close(int code, String reason) {
                        ctx.closeSession(code, reason);
                    }
                })));
                ws.onMessage(ctx -> sessions.get(ctx.sessionId()).onText(ctx.message()));
                ws.onClose(ctx -> sessions.remove(ctx.sessionId()).onClose());
            });
            config.staticFiles.add("/META-INF/resources", Location.CLASSPATH);   // /workflow-thread/index.html
            config.events.serverStopping(sockets::close);
        });
        // README-END
        app.start(port);
        return app;
    }

    /** The request's method, path, query and headers, as the web module reads them. */
    private static WebRequest.Builder request(Context ctx) {
        WebRequest.Builder request = WebRequest.builder(ctx.method().name(), ctx.path()).query(ctx.queryString());
        for (String name : Collections.list(ctx.req().getHeaderNames())) {
            Collections.list(ctx.req().getHeaders(name)).forEach(value -> request.header(name, value));
        }
        return request;
    }
}
