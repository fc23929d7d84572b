package dev.workflowthread.examples.server;

/**
 * A request the server refuses, with its HTTP status and the field at fault; the REST routes
 * answer it as {@code {"status":400,"error":"…","field":"content"}}, the WebSocket as an
 * {@code error} event of the same shape.
 */
final class ApiError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String field;

    private ApiError(int status, String field, String message) {
        super(message, null, false, false);
        this.status = status;
        this.field = field;
    }

    static ApiError badRequest(String field, String message) {
        return new ApiError(400, field, message);
    }

    static ApiError forbidden(String field, String message) {
        return new ApiError(403, field, message);
    }

    static ApiError notFound(String field, String message) {
        return new ApiError(404, field, message);
    }

    static ApiError conflict(String field, String message) {
        return new ApiError(409, field, message);
    }

    /** 421 Misdirected Request: addressed to a host name this server does not answer for. */
    static ApiError misdirected(String field, String message) {
        return new ApiError(421, field, message);
    }

    static ApiError tooLarge(String field, String message) {
        return new ApiError(413, field, message);
    }

    static ApiError unsupportedMediaType(String field, String message) {
        return new ApiError(415, field, message);
    }

    static ApiError tooMany(String message) {
        return new ApiError(429, null, message);
    }

    int status() {
        return status;
    }

    /** The wire name of the field at fault, or null when no one field is. */
    String field() {
        return field;
    }
}
