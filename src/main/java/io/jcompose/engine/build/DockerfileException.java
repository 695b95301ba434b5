package io.jcompose.engine.build;

/**
 * A user mistake in a Dockerfile, located as Docker prints it: {@code Dockerfile:7: unknown instruction "RUNN"}.
 * Line 0 means the file as a whole.
 */
public final class DockerfileException extends Exception {
    private final String file;
    private final int line;
    private final String reason;

    public DockerfileException(String file, int line, String reason) {
        super(line > 0 ? file + ":" + line + ": " + reason : file + ": " + reason);
        this.file = file;
        this.line = line;
        this.reason = reason;
    }

    public String file() {
        return file;
    }

    public int line() {
        return line;
    }

    public String reason() {
        return reason;
    }
}
