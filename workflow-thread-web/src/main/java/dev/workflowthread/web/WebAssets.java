package dev.workflowthread.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The conversation page, shipped in this jar as static files under {@value #RESOURCE_ROOT}:
 * {@code workflow-thread.js} and {@code workflow-thread.css} (the embeddable element
 * {@code <workflow-thread workflow-id="7" api="/api" ws="/ws">}), and {@code index.html},
 * {@code app.js} and {@code app.css} (a whole page around it: who you are, the list of workflows, a
 * form that starts one). A server that serves {@code META-INF/resources} (Spring Boot, Quarkus,
 * a servlet container) has them at {@code /workflow-thread/…}; any other serves that folder of
 * the class path where it likes. The host answers the page's own paths (its path, such as
 * {@code /} or {@code /ops/thread/}, and {@code workflows/{id}} below it) with the HTML of
 * {@link #pageBuilder()}, told where the page, its files, the REST API and the WebSocket are.
 *
 * <p>The files hold no inline script, so the page runs under
 * {@code Content-Security-Policy: default-src 'self'}.
 */
public final class WebAssets {
    /** Where the files are on the class path. */
    public static final String RESOURCE_ROOT = "META-INF/resources/workflow-thread/";
    /** The path the page names its files under, unless it is told another. */
    public static final String DEFAULT_ASSETS_PATH = "/workflow-thread/";

    /** A path segment that needs no escaping in a URL nor in HTML: RFC 3986's unreserved characters. */
    private static final String SEGMENT = "[A-Za-z0-9._~-]+";
    /** A folder's path: {@code /}, or segments each followed by {@code /}. */
    private static final Pattern FOLDER = Pattern.compile("/(" + SEGMENT + "/)*");
    /** An endpoint's path: segments each after a {@code /}, no {@code /} at the end. */
    private static final Pattern ENDPOINT = Pattern.compile("(/" + SEGMENT + ")+");
    /** A WebSocket URL of another host: {@code ws://} or {@code wss://}, a host name or address, a port, a path. */
    private static final Pattern SOCKET_URL = Pattern.compile(
            "wss?://([A-Za-z0-9.-]+|\\[[0-9A-Fa-f:.]+\\])(:[0-9]{1,5})?(/" + SEGMENT + ")*/?");
    private static final String ALLOWED = "letters, digits and . _ ~ - between the slashes";

    private WebAssets() {
    }

    /**
     * The whole page's HTML for a host that serves it at {@code /}: the same as
     * {@code pageBuilder().assetsPath(assetsPath).apiPath(apiPath).wsPath(wsPath).build()}.
     *
     * @param assetsPath where the host serves {@link #RESOURCE_ROOT}, beginning and ending with
     *                   {@code /}, such as {@code /workflow-thread/} or {@code /}
     * @param apiPath    the REST handler's prefix, such as {@code /api}, or empty
     * @param wsPath     the WebSocket's path, such as {@code /ws}, or its {@code ws://} URL
     * @return the HTML
     * @throws IllegalArgumentException naming the parameter, when a path is refused (see {@link PageBuilder})
     * @throws NullPointerException     naming the parameter, when one is null
     * @throws UncheckedIOException     when the jar's {@code index.html} cannot be read
     */
    public static String page(String assetsPath, String apiPath, String wsPath) {
        return pageBuilder().assetsPath(assetsPath).apiPath(apiPath).wsPath(wsPath).build();
    }

    /**
     * The page's HTML, told its paths; unset, they are the page at {@code /}, its files at
     * {@value #DEFAULT_ASSETS_PATH}, the REST API at {@code /api} and the WebSocket at {@code /ws}.
     *
     * @return a builder
     */
    public static PageBuilder pageBuilder() {
        return new PageBuilder();
    }

    /**
     * Where the page, its files, the REST API and the WebSocket are, for the page's HTML. Every
     * path holds only what needs no escaping in a URL or in HTML (letters, digits and
     * {@code . _ ~ -} between its slashes); a setter refuses anything else at once, naming its
     * parameter.
     */
    public static final class PageBuilder {
        private String pagePath = "/";
        private String assetsPath = DEFAULT_ASSETS_PATH;
        private String apiPath = "/api";
        private String wsPath = "/ws";

        private PageBuilder() {
        }

        /**
         * Where the host answers with this page: its links (the brand's, a workflow's at
         * {@code workflows/{id}} below it) point there.
         *
         * @param pagePath a path beginning and ending with {@code /}, such as {@code /} (the
         *                 default) or {@code /ops/thread/}
         * @return this builder
         * @throws IllegalArgumentException naming {@code pagePath}, when it does not begin and end
         *                                  with {@code /} or holds a character that needs escaping
         * @throws NullPointerException     when it is null
         */
        public PageBuilder pagePath(String pagePath) {
            this.pagePath = folder("pagePath", pagePath);
            return this;
        }

        /**
         * Where the host serves the files of {@link #RESOURCE_ROOT}.
         *
         * @param assetsPath a path beginning and ending with {@code /}, such as
         *                   {@value #DEFAULT_ASSETS_PATH} (the default) or {@code /}
         * @return this builder
         * @throws IllegalArgumentException naming {@code assetsPath}, when it does not begin and
         *                                  end with {@code /} or holds a character that needs escaping
         * @throws NullPointerException     when it is null
         */
        public PageBuilder assetsPath(String assetsPath) {
            this.assetsPath = folder("assetsPath", assetsPath);
            return this;
        }

        /**
         * The REST handler's prefix ({@link ThreadRestHandler#prefix()}).
         *
         * @param apiPath a path such as {@code /api} (the default) or {@code /ops/thread/api},
         *                or empty for a handler at the root; a {@code /} at its end is dropped
         * @return this builder
         * @throws IllegalArgumentException naming {@code apiPath}, when it does not begin with
         *                                  {@code /} or holds a character that needs escaping
         * @throws NullPointerException     when it is null
         */
        public PageBuilder apiPath(String apiPath) {
            String trimmed = Objects.requireNonNull(apiPath, "apiPath").endsWith("/")
                    ? apiPath.substring(0, apiPath.length() - 1) : apiPath;
            if (!trimmed.isEmpty() && !ENDPOINT.matcher(trimmed).matches()) {
                throw refused("apiPath", "must be empty or begin with / and hold only " + ALLOWED, apiPath);
            }
            this.apiPath = trimmed;
            return this;
        }

        /**
         * The WebSocket's path on the page's host, or its URL on another.
         *
         * @param wsPath a path such as {@code /ws} (the default), or a URL such as
         *               {@code wss://live.example.com/ws}
         * @return this builder
         * @throws IllegalArgumentException naming {@code wsPath}, when it is neither a path
         *                                  beginning with {@code /} nor a {@code ws://} or
         *                                  {@code wss://} URL, or holds a character that needs escaping
         * @throws NullPointerException     when it is null
         */
        public PageBuilder wsPath(String wsPath) {
            Objects.requireNonNull(wsPath, "wsPath");
            if (!ENDPOINT.matcher(wsPath).matches() && !SOCKET_URL.matcher(wsPath).matches()) {
                throw refused("wsPath", "must begin with / or be a ws:// or wss:// URL, and hold only " + ALLOWED,
                        wsPath);
            }
            this.wsPath = wsPath;
            return this;
        }

        /**
         * The page's HTML: {@code index.html} of the jar, naming its files under the assets path,
         * giving the element the API's and the WebSocket's paths, and linking under the page's path.
         *
         * @return the HTML
         * @throws UncheckedIOException when the jar's {@code index.html} cannot be read
         * @throws IllegalStateException when it lacks a part this builder fills in
         */
        public String build() {
            String html = read("index.html");
            html = replaceAll(html, "\"" + DEFAULT_ASSETS_PATH, "\"" + assetsPath);
            html = replaceAll(html, "class=\"brand\" href=\"/\"", "class=\"brand\" href=\"" + pagePath + "\"");
            html = replaceAll(html, "link-prefix=\"/workflows/\"", "link-prefix=\"" + pagePath + "workflows/\"");
            html = replaceAll(html, "api=\"/api\"", "api=\"" + apiPath + "\"");
            html = replaceAll(html, "<code>/api/workflows</code>", "<code>" + apiPath + "/workflows</code>");
            html = replaceAll(html, "ws=\"/ws\"", "ws=\"" + wsPath + "\"");
            return replaceAll(html, "<code>/ws</code>", "<code>" + wsPath + "</code>");
        }

        private static String folder(String parameter, String path) {
            Objects.requireNonNull(path, parameter);
            if (!FOLDER.matcher(path).matches()) {
                throw refused(parameter, "must begin and end with / and hold only " + ALLOWED, path);
            }
            return path;
        }

        private static IllegalArgumentException refused(String parameter, String rule, String value) {
            return new IllegalArgumentException(parameter + " " + rule + ", but was '" + value + "'");
        }

        /** Replaces every {@code part}, which the jar's page must hold: a page that lost it would be served wrong. */
        private static String replaceAll(String html, String part, String replacement) {
            if (!html.contains(part)) {
                throw new IllegalStateException("the page " + RESOURCE_ROOT + "index.html holds no " + part);
            }
            return html.replace(part, replacement);
        }
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
