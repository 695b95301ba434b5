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

    /** A RUN step's non-zero exit code (dockerd sends it as errorDetail.code; the Docker CLI exits with it); 0 otherwise. */
    public int code() {
        return getCause() instanceof BuildException b ? b.code() : 0;
    }

    /** A RUN step that exited with {@code code}. */
    public static BuildException exitCode(String message, int code) {
        return new BuildException(message) {
            @Override public int code() {
                return code;
            }
        };
    }
}
