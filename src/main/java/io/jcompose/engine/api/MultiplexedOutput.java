package io.jcompose.engine.api;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Docker's multiplexed stdout/stderr framing (non-TTY attach, logs, exec): each frame is an 8-byte header
 * {@code [stream, 0, 0, 0, size (big-endian uint32)]} then the payload; stream 1 is stdout, 2 stderr (0 stdin).
 * Clients demultiplex it with stdcopy. Frames are written whole and flushed, so lines interleave correctly.
 */
public final class MultiplexedOutput {
    public static final int STDIN = 0;
    public static final int STDOUT = 1;
    public static final int STDERR = 2;

    private final OutputStream out;

    public MultiplexedOutput(OutputStream out) {
        this.out = out;
    }

    /** Writes one frame (nothing for an empty payload: a zero-size frame means nothing to stdcopy). */
    public synchronized void write(int stream, byte[] b, int off, int len) throws IOException {
        if (stream < 0 || stream > 2) throw new IllegalArgumentException("stream must be 0, 1 or 2, got " + stream);
        if (len == 0) return;
        byte[] header = {(byte) stream, 0, 0, 0, (byte) (len >>> 24), (byte) (len >>> 16), (byte) (len >>> 8), (byte) len};
        out.write(header);
        out.write(b, off, len);
        out.flush();
    }

    /** An OutputStream whose every write becomes one frame on {@code stream}. */
    public OutputStream stream(int stream) {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                MultiplexedOutput.this.write(stream, new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                MultiplexedOutput.this.write(stream, b, off, len);
            }

            @Override
            public void flush() throws IOException {
                out.flush();
            }
        };
    }
}
