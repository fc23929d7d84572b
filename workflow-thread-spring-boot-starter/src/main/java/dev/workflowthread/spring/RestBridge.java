package dev.workflowthread.spring;

import dev.workflowthread.web.ThreadRestHandler;
import dev.workflowthread.web.WebRequest;
import dev.workflowthread.web.WebResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.security.Principal;
import java.util.Collections;

/** Hands a servlet request to the REST handler and writes its answer back. */
final class RestBridge implements org.springframework.web.HttpRequestHandler {
    private final ThreadRestHandler rest;

    RestBridge(ThreadRestHandler rest) {
        this.rest = rest;
    }

    @Override
    public void handleRequest(HttpServletRequest request, HttpServletResponse response) throws IOException {
        WebResponse answer = rest.handle(webRequest(request, readBody(request, rest.maxBodyBytes())));
        write(answer, response);
    }

    /** The request as the web layer reads it: the path without the context path, the caller the servlet's principal. */
    static WebRequest webRequest(HttpServletRequest request, byte[] body) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        WebRequest.Builder builder = WebRequest.builder(request.getMethod(), path).query(request.getQueryString())
                .body(body).scheme(request.getScheme()).localPort(request.getLocalPort())
                .principal(() -> {
                    Principal principal = request.getUserPrincipal();
                    return principal == null ? null : principal.getName();
                });
        for (String name : Collections.list(request.getHeaderNames())) {
            for (String value : Collections.list(request.getHeaders(name))) {
                builder.header(name, value);
            }
        }
        return builder.build();
    }

    /** At most one byte more than the limit: enough for the handler to answer 413, without reading a huge body whole. */
    private static byte[] readBody(HttpServletRequest request, int limit) throws IOException {
        try (InputStream in = request.getInputStream()) {
            return in.readNBytes(limit + 1);
        }
    }

    static void write(WebResponse answer, HttpServletResponse response) throws IOException {
        response.setStatus(answer.status());
        answer.headers().forEach(response::setHeader);
        response.setContentLength(answer.body().length);
        response.getOutputStream().write(answer.body());
    }
}
