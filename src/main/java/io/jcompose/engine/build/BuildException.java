package io.jcompose.engine.build;

/**
 * A build failed for a reason the user can act on (bad context, missing file, a failed RUN). The message is one
 * line and is what the client sees in {@code {"error": …}}; the route maps it to the stream's error message.
 */
public class BuildException extends Exception {
    public BuildException(String message) {
        super(message);
    }

    public BuildException(String message, Throwable cause) {
        super(message, cause);
    }
}
