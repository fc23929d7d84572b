package dev.workflowthread.web;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * One HTTP request as the web layer reads it, whatever server received it: the method, the path
 * and the query as sent (not decoded), the headers, the body's bytes, and who the caller is (the
 * host's authentication). Made with {@link #builder}.
 *
 * <pre>{@code
 * WebRequest request = WebRequest.builder(servletRequest.getMethod(), servletRequest.getRequestURI())
 *         .query(servletRequest.getQueryString())
 *         .header("Content-Type", servletRequest.getHeader("Content-Type"))
 *         .body(servletRequest.getInputStream().readAllBytes())
 *         .principal(() -> user.name())
 *         .build();
 * }</pre>
 */
public final class WebRequest {
    private final String method;
    private final String path;
    private final String query;
    private final Map<String, List<String>> headers;
    private final byte[] body;
    private final Supplier<String> principal;
    private final String scheme;
    private final int localPort;
    private String principalName;
    private boolean principalRead;

    private WebRequest(Builder builder) {
        this.method = builder.method;
        this.path = builder.path;
        this.query = builder.query;
        TreeMap<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        builder.headers.forEach((name, values) -> copy.put(name, List.copyOf(values)));
        this.headers = Collections.unmodifiableMap(copy);
        this.body = builder.body;
        this.principal = builder.principal;
        this.scheme = builder.scheme;
        this.localPort = builder.localPort;
    }

    /**
     * A builder.
     *
     * @param method the HTTP method, such as {@code POST} (upper case, as sent)
     * @param path   the path as sent, without the query, such as {@code /api/workflows/7/messages}
     * @return the builder
     * @throws NullPointerException when an argument is null
     */
    public static Builder builder(String method, String path) {
        return new Builder(method, path);
    }

    /**
     * The method.
     *
     * @return the HTTP method as sent
     */
    public String method() {
        return method;
    }

    /**
     * The path, as sent.
     *
     * @return the path without the query
     */
    public String path() {
        return path;
    }

    /**
     * The query, as sent.
     *
     * @return the text after {@code ?} (not decoded), or null when there was none
     */
    public String query() {
        return query;
    }

    /**
     * Every value a header was sent with.
     *
     * @param name the header's name, in any case
     * @return its values in the order sent; empty when it was not sent
     */
    public List<String> headers(String name) {
        return headers.getOrDefault(name, List.of());
    }

    /**
     * A header's first value.
     *
     * @param name the header's name, in any case
     * @return its first value, or null when it was not sent
     */
    public String header(String name) {
        List<String> values = headers(name);
        return values.isEmpty() ? null : values.get(0);
    }

    /**
     * The body.
     *
     * @return a copy of the body's bytes (empty when there was none)
     */
    public byte[] body() {
        return body.clone();
    }

    int bodyLength() {
        return body.length;
    }

    byte[] bodyBytes() {
        return body;
    }

    /**
     * The caller's name, as the host authenticated them. Asked of the host's supplier at most once,
     * and only when a request needs it.
     *
     * @return the name, or null when the host gave none (then the body's {@code author} is taken)
     */
    public synchronized String principal() {
        if (!principalRead) {
            principalName = principal == null ? null : principal.get();
            principalRead = true;
        }
        return principalName;
    }

    /**
     * The scheme this server was reached with, for the same-origin check.
     *
     * @return {@code http} unless set
     */
    public String scheme() {
        return scheme;
    }

    /**
     * The port the server received the request on, for the same-origin check.
     *
     * @return the port, or 0 when not given (the port in {@code Host} is taken)
     */
    public int localPort() {
        return localPort;
    }

    /** What a {@link WebRequest} is made of. */
    public static final class Builder {
        private final String method;
        private final String path;
        private String query;
        private final Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        private byte[] body = new byte[0];
        private Supplier<String> principal;
        private String scheme = "http";
        private int localPort;

        private Builder(String method, String path) {
            this.method = Objects.requireNonNull(method, "method");
            this.path = Objects.requireNonNull(path, "path");
        }

        /**
         * The query.
         *
         * @param query the text after {@code ?}, not decoded; null or empty for none
         * @return this builder
         */
        public Builder query(String query) {
            this.query = query == null || query.isEmpty() ? null : query;
            return this;
        }

        /**
         * Adds a header value; a header sent several times is added once per value. A null value is
         * skipped, so that a header the server did not receive can be passed as it reads it.
         *
         * @param name  the header's name
         * @param value its value, or null
         * @return this builder
         * @throws NullPointerException when {@code name} is null
         */
        public Builder header(String name, String value) {
            Objects.requireNonNull(name, "name");
            if (value != null) {
                headers.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
            }
            return this;
        }

        /**
         * Adds every value of every header of {@code all}.
         *
         * @param all the headers, by name
         * @return this builder
         * @throws NullPointerException when {@code all} is null
         */
        public Builder headers(Map<String, ? extends List<String>> all) {
            all.forEach((name, values) -> values.forEach(value -> header(name, value)));
            return this;
        }

        /**
         * The body.
         *
         * @param body its bytes (kept, not copied); null for none
         * @return this builder
         */
        public Builder body(byte[] body) {
            this.body = body == null ? new byte[0] : body;
            return this;
        }

        /**
         * Who the caller is.
         *
         * @param name the authenticated caller's name, or null for none
         * @return this builder
         */
        public Builder principal(String name) {
            this.principal = name == null ? null : () -> name;
            return this;
        }

        /**
         * Who the caller is, asked only when a request needs it (sending, creating, {@code GET
         * /session}): for a host whose asking has an effect, such as giving a new visitor a cookie.
         *
         * @param name answers the authenticated caller's name, or null for none; null for no caller
         * @return this builder
         */
        public Builder principal(Supplier<String> name) {
            this.principal = name;
            return this;
        }

        /**
         * The scheme the server was reached with: a page's {@code Origin} must name it.
         *
         * @param scheme {@code http} (the default) or {@code https}
         * @return this builder
         * @throws IllegalArgumentException when it is neither
         */
        public Builder scheme(String scheme) {
            String lower = Objects.requireNonNull(scheme, "scheme").toLowerCase(Locale.ROOT);
            if (!lower.equals("http") && !lower.equals("https")) {
                throw new IllegalArgumentException("scheme must be http or https, but was " + scheme);
            }
            this.scheme = lower;
            return this;
        }

        /**
         * The port the server received the request on: a page's {@code Origin} must name it.
         *
         * @param localPort 1 to 65535, or 0 for not known (the {@code Host}'s port is taken)
         * @return this builder
         * @throws IllegalArgumentException when out of range
         */
        public Builder localPort(int localPort) {
            if (localPort < 0 || localPort > 65535) {
                throw new IllegalArgumentException("localPort must be 0 to 65535, but was " + localPort);
            }
            this.localPort = localPort;
            return this;
        }

        /**
         * Builds it.
         *
         * @return the request
         */
        public WebRequest build() {
            return new WebRequest(this);
        }
    }
}
