package io.jcompose.runtime;

/**
 * A failure reported by (or on the way to) a container engine. Callers act on the {@link Category};
 * the message keeps the engine's own words, prefixed with what was being done.
 */
public class EngineException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What kind of failure it is, i.e. what a caller can do about it. */
    public enum Category {
        /** The object does not exist (HTTP 404). */
        NOT_FOUND,
        /** The object exists or is in a state that forbids the operation (HTTP 409). */
        CONFLICT,
        /** The engine cannot be reached or failed internally (connection refused, HTTP 5xx). */
        UNAVAILABLE,
        /** The request was malformed or refers to something invalid (HTTP 400). */
        INVALID,
        /** Credentials were missing or refused (HTTP 401/403, registry "unauthorized"). */
        UNAUTHORIZED,
        /** Anything else. */
        OTHER
    }

    private final Category category;
    private final String engineMessage;

    public EngineException(Category category, String message, String engineMessage, Throwable cause) {
        super(message, cause);
        this.category = category;
        this.engineMessage = engineMessage == null ? "" : engineMessage;
    }

    public EngineException(Category category, String message) {
        this(category, message, message, null);
    }

    public Category category() {
        return category;
    }

    /** The engine's own message (e.g. dockerd's {@code "message"} field), or empty. */
    public String engineMessage() {
        return engineMessage;
    }

    public boolean isNotFound() {
        return category == Category.NOT_FOUND;
    }

    public boolean isConflict() {
        return category == Category.CONFLICT;
    }
}
