package io.jcompose.runtime;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;
import java.util.Optional;

/**
 * The streams of an attached process ({@code exec}, {@code attach}). {@code stdin} empty: the process's stdin is
 * not attached. With a TTY the engine cannot tell the output streams apart: everything goes to {@code stdout}.
 * Output is flushed as it arrives, so an interactive user sees it at once. {@code ttySize}: the user's terminal
 * size for a TTY (empty: the engine's default).
 */
public record Stdio(Optional<InputStream> stdin, OutputStream stdout, OutputStream stderr, Optional<Size> ttySize) {
    /** A terminal's size, passed on to the container's TTY. */
    public record Size(int rows, int columns) {}

    public Stdio {
        Objects.requireNonNull(stdin, "stdin");
        Objects.requireNonNull(stdout, "stdout");
        Objects.requireNonNull(stderr, "stderr");
        Objects.requireNonNull(ttySize, "ttySize");
    }

    public Stdio(Optional<InputStream> stdin, OutputStream stdout, OutputStream stderr) {
        this(stdin, stdout, stderr, Optional.empty());
    }
}
