package io.jcompose.engine.image;

/**
 * A failure callers can act on, in the engine's few categories; {@link Kind} maps to an HTTP status in the API
 * layer (404, 409, 400, 401, 500/503). The message is one line saying what and what next.
 */
public final class ImageException extends RuntimeException {
    public enum Kind { NOT_FOUND, CONFLICT, INVALID, UNAUTHORIZED, UNAVAILABLE }

    private final Kind kind;

    public ImageException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public ImageException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
