package io.jcompose.runtime;

import java.nio.charset.StandardCharsets;

/**
 * A piece of container output. With a TTY the engine cannot tell stdout from stderr: all frames are STDOUT.
 * Frames are not lines: a line may span frames, and a frame may hold several lines.
 */
public record LogFrame(Stream stream, byte[] payload) {
    public enum Stream { STDIN, STDOUT, STDERR }

    public LogFrame {
        payload = payload.clone();
    }

    @Override
    public byte[] payload() {
        return payload.clone();
    }

    public String text() {
        return new String(payload, StandardCharsets.UTF_8);
    }
}
