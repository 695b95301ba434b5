package io.jcompose.engine.volume;

/**
 * A volume or mount request that cannot be served. {@link #kind()} is the category the API maps to a status
 * (invalid 400, not found 404, conflict 409, internal 500); the message is Docker's text where Docker has one,
 * e.g. {@code remove data: volume is in use - [4f2a…]}.
 */
public final class VolumeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public enum Kind { INVALID, NOT_FOUND, CONFLICT, INTERNAL }

    private final Kind kind;

    public VolumeException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public VolumeException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    static VolumeException invalid(String message) {
        return new VolumeException(Kind.INVALID, message);
    }

    static VolumeException notFound(String message) {
        return new VolumeException(Kind.NOT_FOUND, message);
    }

    static VolumeException conflict(String message) {
        return new VolumeException(Kind.CONFLICT, message);
    }

    static VolumeException internal(String message, Throwable cause) {
        return new VolumeException(Kind.INTERNAL, message, cause);
    }
}
