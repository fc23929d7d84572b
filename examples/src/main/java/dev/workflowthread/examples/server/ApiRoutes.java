package dev.workflowthread.examples.server;

import dev.workflowthread.web.ThreadRestHandler;
import dev.workflowthread.web.WebRefusal;
import dev.workflowthread.web.WebRequest;
import dev.workflowthread.web.WebResponse;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import java.util.Collections;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The REST API on Javalin: every request under {@code /api/} goes to the web module's
 * {@link ThreadRestHandler}, which has every endpoint and refusal. What is the demo's own: the
 * caller is who their {@link Visitors} cookie says (asked only when a request needs to know), a
 * request with two such cookies is refused, and a body the client stopped sending is a 400.
 */
final class ApiRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(ApiRoutes.class);
    /** The largest request body (Javalin refuses larger ones before reading them). */
    static final long MAX_BODY_BYTES = ThreadRestHandler.DEFAULT_MAX_BODY_BYTES;
    static final int DEFAULT_PAGE = ThreadRestHandler.DEFAULT_PAGE;

    private final ThreadRestHandler rest;

    ApiRoutes(ThreadRestHandler rest) {
        this.rest = rest;
    }

    void register(RoutesConfig routes) {
        routes.get("/api/*", this::handle);
        routes.post("/api/*", this::handle);
        routes.put("/api/*", this::handle);
        routes.patch("/api/*", this::handle);
        routes.delete("/api/*", this::handle);
        // The demo's own refusals, thrown before the routes (a foreign Host) or by the glue above.
        routes.exception(WebRefusal.class, (e, ctx) -> write(ctx, WebResponse.error(e.status(), e.field(), e.getMessage())));
    }

    private void handle(Context ctx) throws Exception {
        WebResponse response;
        try {
            Visitors.refuseSeveralCookies(ctx);
            response = rest.handle(request(ctx).body(ctx.bodyAsBytes()).principal(() -> Visitors.identify(ctx)).build());
        } catch (WebRefusal e) {
            response = WebResponse.error(e.status(), e.field(), e.getMessage());
        } catch (Exception e) { // Javalin's body reading throws the IOException undeclared
            if (readingTheBodyFailed(e)) {
                // The client's doing (it went away mid-body, or sent less than it said): no server failure.
                LOG.debug("{} {}: the body could not be read", ctx.method(), ctx.path(), e);
                response = WebResponse.error(400, "body", "the body could not be read: " + e.getMessage());
            } else if (e instanceof HttpResponseException refused) {
                boolean tooLarge = refused.getStatus() == HttpStatus.CONTENT_TOO_LARGE.getCode();
                response = WebResponse.error(refused.getStatus(), tooLarge ? "body" : null,
                        tooLarge ? "the body must be at most " + MAX_BODY_BYTES + " bytes" : refused.getMessage());
            } else {
                throw e;
            }
        }
        write(ctx, response);
    }

    /** The request's method, path, query, headers, scheme and port, as the web module reads them. */
    static WebRequest.Builder request(Context ctx) {
        WebRequest.Builder request = WebRequest.builder(ctx.method().name(), ctx.path())
                .query(ctx.queryString())
                .localPort(ctx.req().getLocalPort());
        for (String name : Collections.list(ctx.req().getHeaderNames())) {
            for (String value : Collections.list(ctx.req().getHeaders(name))) {
                request.header(name, value);
            }
        }
        return request;
    }

    static void write(Context ctx, WebResponse response) {
        ctx.status(response.status());
        response.headers().forEach(ctx::header);
        ctx.result(response.body());
    }

    /** Whether {@code e} is reading the request's body failing (an I/O error: the client went away mid-body). */
    private static boolean readingTheBodyFailed(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.io.IOException) {
                return true;
            }
        }
        return false;
    }
}
