package dev.workflowthread.examples.server;

import dev.workflowthread.web.WebResponse;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The answers the routes do not write themselves, as the same JSON error body as every other
 * refusal, {@code {"status":400,"error":"…","field":null}}: Jetty's own (a request line or URI it
 * cannot take, such as {@code %00} in a path, headers too large, no {@code Host}), whatever the
 * client accepts and whatever the method, through {@link #jetty()}; and those written straight to
 * the servlet response (a refused WebSocket upgrade, a {@link Error} thrown by a handler), through
 * {@link #write}.
 */
final class JsonErrorPages {
    private static final String JSON = "application/json";
    private static final List<Charset> UTF_8 = List.of(StandardCharsets.UTF_8);

    private JsonErrorPages() {
    }

    /** The Jetty server's error handler. */
    static ErrorHandler jetty() {
        return new JettyErrors();
    }

    /** Writes the error body to {@code response} and commits it. */
    static void write(HttpServletResponse response, int status, String field, String message) throws IOException {
        response.setStatus(status);
        response.setContentType(JSON + "; charset=utf-8");
        response.getOutputStream().write(WebResponse.errorJson(status, field, message).getBytes(StandardCharsets.UTF_8));
        response.flushBuffer();
    }

    /**
     * The body: the status's reason, and what Jetty says went wrong (its message, or that of the
     * exception behind it, such as "Illegal character in path" for a {@code %00}).
     */
    static String body(int status, String message, Throwable cause) {
        String reason = HttpStatus.getMessage(status);
        String detail = message == null || message.equals(reason) ? null : message;
        for (Throwable at = cause; detail == null && at != null; at = at.getCause()) {
            if (!(at instanceof HttpException) && at.getMessage() != null) {
                detail = at.getMessage();
            }
        }
        String text = detail == null || detail.isBlank() ? reason : reason + ": " + detail;
        return WebResponse.errorJson(status, null, text);
    }

    private static final class JettyErrors extends ErrorHandler {
        JettyErrors() {
            setShowStacks(false);
            setShowCauses(false);
        }

        @Override
        public boolean errorPageForMethod(String method) {
            return true; // a body for DELETE and PUT too, not only GET, POST and HEAD
        }

        /** JSON, whatever the request's {@code Accept} asks for. */
        @Override
        protected boolean generateAcceptableResponse(Request request, Response response, Callback callback, String type,
                                                     List<Charset> charsets, int code, String message, Throwable cause)
                throws IOException {
            return super.generateAcceptableResponse(request, response, callback, JSON, UTF_8, code, message, cause);
        }

        @Override
        protected void writeErrorJson(Request request, PrintWriter writer, int code, String message, Throwable cause) {
            writer.write(body(code, message, cause));
        }
    }
}
