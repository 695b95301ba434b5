package io.jcompose.runtime;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;
import java.util.Optional;

/**
 * The streams of an attached process ({@code exec}, {@code attach}). {@code stdin} empty: the process's stdin is
 * not attached. With a TTY the engine cannot tell the output streams apart: everything goes to {@code stdout}.
 * Output is flushed as it arrives, so an interactive user sees it at once.
 */
public record Stdio(Optional<InputStream> stdin, OutputStream stdout, OutputStream stderr) {
    public Stdio {
        Objects.requireNonNull(stdin, "stdin");
        Objects.requireNonNull(stdout, "stdout");
        Objects.requireNonNull(stderr, "stderr");
    }
}
