package dev.workflowthread.web;

/**
 * A request the web layer refuses, with the HTTP status to answer and the wire name of the field at
 * fault: the REST handler answers it as {@code {"status":…,"error":"…","field":"…"}}, the WebSocket
 * session as an {@code error} event of the same shape. A {@link WorkflowHost} throws one to refuse
 * a workflow it will not create (for instance {@link #tooMany} when too many run).
 */
public final class WebRefusal extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The HTTP status to answer. */
    private final int status;
    /** The wire name of the field at fault, or null. */
    private final String field;

    /**
     * A refusal.
     *
     * @param status  the HTTP status, 400 to 599
     * @param field   the wire name of the field at fault, or null when no one field is
     * @param message what was wrong, said to the client
     * @throws IllegalArgumentException when {@code status} is not 400 to 599 or {@code message} is null
     */
    public WebRefusal(int status, String field, String message) {
        super(message, null, false, false);
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("status must be 400 to 599, but was " + status);
        }
        if (message == null) {
            throw new IllegalArgumentException("message must not be null");
        }
        this.status = status;
        this.field = field;
    }

    /**
     * 400 Bad Request.
     *
     * @param field   the field at fault, or null
     * @param message what was wrong
     * @return the refusal
     */
    public static WebRefusal badRequest(String field, String message) {
        return new WebRefusal(400, field, message);
    }

    /**
     * 403 Forbidden.
     *
     * @param field   the field at fault, or null
     * @param message what was wrong
     * @return the refusal
     */
    public static WebRefusal forbidden(String field, String message) {
        return new WebRefusal(403, field, message);
    }

    /**
     * 404 Not Found.
     *
     * @param field   the field at fault, or null
     * @param message what was wrong
     * @return the refusal
     */
    public static WebRefusal notFound(String field, String message) {
        return new WebRefusal(404, field, message);
    }

    /**
     * 409 Conflict.
     *
     * @param field   the field at fault, or null
     * @param message what was wrong
     * @return the refusal
     */
    public static WebRefusal conflict(String field, String message) {
        return new WebRefusal(409, field, message);
    }

    /**
     * 413 Content Too Large.
     *
     * @param field   the field at fault, or null
     * @param message what was wrong
     * @return the refusal
     */
    public static WebRefusal tooLarge(String field, String message) {
        return new WebRefusal(413, field, message);
    }

    /**
     * 415 Unsupported Media Type.
     *
     * @param field   the field at fault, or null
     * @param message what was wrong
     * @return the refusal
     */
    public static WebRefusal unsupportedMediaType(String field, String message) {
        return new WebRefusal(415, field, message);
    }

    /**
     * 429 Too Many Requests.
     *
     * @param message what was wrong
     * @return the refusal
     */
    public static WebRefusal tooMany(String message) {
        return new WebRefusal(429, null, message);
    }

    /**
     * The HTTP status to answer.
     *
     * @return 400 to 599
     */
    public int status() {
        return status;
    }

    /**
     * The wire name of the field at fault.
     *
     * @return the name, or null when no one field is
     */
    public String field() {
        return field;
    }
}
