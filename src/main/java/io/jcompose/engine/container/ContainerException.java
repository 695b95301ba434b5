package io.jcompose.engine.container;

/** A failure with a category callers map to an API status (Docker's errdefs). One-line message. */
public final class ContainerException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public enum Kind { NOT_FOUND, CONFLICT, INVALID, INTERNAL }

    private final Kind kind;

    public ContainerException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public ContainerException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    static ContainerException notFound(String ref) {
        return new ContainerException(Kind.NOT_FOUND, "No such container: " + ref);
    }

    static ContainerException conflict(String m) {
        return new ContainerException(Kind.CONFLICT, m);
    }

    static ContainerException invalid(String m) {
        return new ContainerException(Kind.INVALID, m);
    }
}
