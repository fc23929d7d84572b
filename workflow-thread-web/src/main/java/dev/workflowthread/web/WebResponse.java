package dev.workflowthread.web;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The answer to a {@link WebRequest}: the status, the headers to set, and the body (JSON in UTF-8,
 * or empty). The host writes it to its server's response as it is.
 *
 * @param status  the HTTP status
 * @param headers the headers, by name (always {@code Content-Type} when there is a body)
 * @param body    the body's bytes
 */
public record WebResponse(int status, Map<String, String> headers, byte[] body) {
    /** The {@code Content-Type} of every body the web layer writes. */
    public static final String JSON = "application/json; charset=utf-8";

    /**
     * A response.
     *
     * @param status  the HTTP status
     * @param headers the headers, copied
     * @param body    the body's bytes
     * @throws NullPointerException when {@code headers} or {@code body} is null
     */
    public WebResponse {
        headers = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(headers, "headers")));
        Objects.requireNonNull(body, "body");
    }

    /**
     * A JSON answer.
     *
     * @param status the HTTP status
     * @param json   the body
     * @return the response, with {@code Content-Type: application/json; charset=utf-8}
     */
    public static WebResponse json(int status, String json) {
        return new WebResponse(status, Map.of("Content-Type", JSON), json.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The web layer's refusal, {@code {"status":400,"error":"…","field":"content"}}: for a host that
     * answers its own refusals (its server's, a login's) in the same shape.
     *
     * @param status  the HTTP status
     * @param field   the wire name of the field at fault, or null
     * @param message what was wrong
     * @return the response
     */
    public static WebResponse error(int status, String field, String message) {
        return json(status, errorJson(status, field, message));
    }

    /**
     * The body of {@link #error}, as text.
     *
     * @param status  the HTTP status
     * @param field   the wire name of the field at fault, or null
     * @param message what was wrong
     * @return {@code {"status":…,"error":"…","field":…}}
     */
    public static String errorJson(int status, String field, String message) {
        return Documents.write(Documents.error(status, field, message));
    }

    /**
     * The response with one header more (or replaced).
     *
     * @param name  the header's name
     * @param value its value
     * @return a new response
     */
    public WebResponse withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new WebResponse(status, more, body);
    }

    /**
     * The body as text.
     *
     * @return the body decoded as UTF-8
     */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
