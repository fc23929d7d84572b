package dev.workflowthread.spring;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Answers the page's paths with its HTML, under a policy that runs no inline script. */
final class PageHandler implements org.springframework.web.HttpRequestHandler {
    private final byte[] html;

    PageHandler(String html) {
        this.html = html.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void handleRequest(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!request.getMethod().equals("GET") && !request.getMethod().equals("HEAD")) {
            response.setHeader("Allow", "GET, HEAD");
            response.sendError(HttpServletResponse.SC_METHOD_NOT_ALLOWED);
            return;
        }
        response.setContentType("text/html; charset=utf-8");
        response.setHeader("Content-Security-Policy", "default-src 'self'");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Cache-Control", "no-cache");
        response.setContentLength(html.length);
        if (request.getMethod().equals("GET")) {
            response.getOutputStream().write(html);
        }
    }
}
