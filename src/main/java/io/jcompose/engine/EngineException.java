package io.jcompose.engine;

/** The engine cannot start or be reached; the message is one line for the user (what, where, what next). */
public class EngineException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public EngineException(String message) {
        super(message);
    }

    public EngineException(String message, Throwable cause) {
        super(message, cause);
    }
}
