package io.jcompose.engine.api;

/**
 * A failure a handler reports to the client: an HTTP status and Docker's error body {@code {"message": "..."}}.
 * The factories name the categories clients act on (Docker's errdefs): 400 invalid, 403 forbidden, 404 not found,
 * 409 conflict, 500 internal, 503 unavailable. Anything else a handler throws becomes a 500 and is logged.
 */
public class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;

    public ApiException(int status, String message) {
        super(message);
        if (status < 400 || status > 599) throw new IllegalArgumentException("not an error status: " + status);
        this.status = status;
    }

    public ApiException(int status, String message, Throwable cause) {
        this(status, message);
        initCause(cause);
    }

    public int status() {
        return status;
    }

    public static ApiException invalid(String message) {
        return new ApiException(400, message);
    }

    public static ApiException forbidden(String message) {
        return new ApiException(403, message);
    }

    public static ApiException notFound(String message) {
        return new ApiException(404, message);
    }

    public static ApiException conflict(String message) {
        return new ApiException(409, message);
    }

    public static ApiException internal(String message) {
        return new ApiException(500, message);
    }

    public static ApiException unavailable(String message) {
        return new ApiException(503, message);
    }
}
