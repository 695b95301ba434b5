package io.jcompose.engine.snapshot;

/** A snapshot failure in the engine's categories: NOT_FOUND, CONFLICT (exists / in use), INVALID, FAILED (the OS refused). */
public final class SnapshotException extends RuntimeException {
    public enum Kind { NOT_FOUND, CONFLICT, INVALID, FAILED }

    private final Kind kind;

    public SnapshotException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public SnapshotException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
