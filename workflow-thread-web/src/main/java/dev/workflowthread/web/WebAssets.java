package dev.workflowthread.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The conversation page, shipped in this jar as static files under {@value #RESOURCE_ROOT}:
 * {@code workflow-thread.js} and {@code workflow-thread.css} (the embeddable element
 * {@code <workflow-thread workflow-id="7" api="/api" ws="/ws">}), and {@code index.html},
 * {@code app.js} and {@code app.css} (a whole page around it: who you are, the list of workflows, a
 * form that starts one). A server that serves {@code META-INF/resources} (Spring Boot, Quarkus,
 * a servlet container) has them at {@code /workflow-thread/…}; any other serves that folder of
 * the class path where it likes and answers the page's paths ({@code /} and
 * {@code /workflows/{id}}) with {@link #page}.
 *
 * <p>The files hold no inline script, so the page runs under
 * {@code Content-Security-Policy: default-src 'self'}.
 */
public final class WebAssets {
    /** Where the files are on the class path. */
    public static final String RESOURCE_ROOT = "META-INF/resources/workflow-thread/";
    /** The path the page names its files under, unless {@link #page} is told another. */
    public static final String DEFAULT_ASSETS_PATH = "/workflow-thread/";

    private WebAssets() {
    }

    /**
     * The whole page's HTML, naming its files under {@code assetsPath} and giving the element the
     * REST API's and the WebSocket's paths.
     *
     * @param assetsPath where the host serves {@link #RESOURCE_ROOT}, ending with {@code /}, such as
     *                   {@code /workflow-thread/} or {@code /}
     * @param apiPath    the REST handler's prefix, such as {@code /api}
     * @param wsPath     the WebSocket's path, such as {@code /ws}
     * @return the HTML
     * @throws IllegalArgumentException when {@code assetsPath} does not begin and end with {@code /},
     *                                  or a path holds a quote or an angle bracket
     * @throws UncheckedIOException     when the jar's {@code index.html} cannot be read
     */
    public static String page(String assetsPath, String apiPath, String wsPath) {
        Objects.requireNonNull(assetsPath, "assetsPath");
        if (!assetsPath.startsWith("/") || !assetsPath.endsWith("/")) {
            throw new IllegalArgumentException("assetsPath must begin and end with /, but was '" + assetsPath + "'");
        }
        for (String path : new String[] {assetsPath, Objects.requireNonNull(apiPath, "apiPath"),
            Objects.requireNonNull(wsPath, "wsPath")}) {
            if (path.matches(".*[\"'<>&].*")) {
                throw new IllegalArgumentException("a path must hold no quote, angle bracket or &, but was '" + path + "'");
            }
        }
        return read("index.html")
                .replace("\"" + DEFAULT_ASSETS_PATH, "\"" + assetsPath)
                .replace("api=\"/api\"", "api=\"" + apiPath + "\"")
                .replace("ws=\"/ws\"", "ws=\"" + wsPath + "\"");
    }

    private static String read(String name) {
        try (InputStream in = WebAssets.class.getClassLoader().getResourceAsStream(RESOURCE_ROOT + name)) {
            if (in == null) {
                throw new IOException(RESOURCE_ROOT + name + " is not on the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
