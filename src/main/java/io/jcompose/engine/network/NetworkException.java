package io.jcompose.engine.network;

/** A network operation failed; {@link #kind()} says what the caller can do about it (the API maps it to a status). */
public final class NetworkException extends RuntimeException {
    /** NOT_FOUND 404, CONFLICT 409, INVALID 400, UNAVAILABLE 500/503, UNSUPPORTED 501. */
    public enum Kind { NOT_FOUND, CONFLICT, INVALID, UNAVAILABLE, UNSUPPORTED }

    private final Kind kind;

    public NetworkException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public NetworkException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
