package io.jcompose.runtime.docker;

import io.jcompose.runtime.LogFrame;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads container output: Docker's multiplexed format (8-byte header: stream byte, 3 zero bytes, big-endian
 * uint32 length, then the payload) or, for TTY containers, a raw stream (every chunk is STDOUT).
 */
final class FrameReader {
    private static final int RAW_CHUNK = 16 * 1024;
    private static final int MAX_FRAME = 64 * 1024 * 1024;

    private final InputStream in;
    private final boolean multiplexed;

    FrameReader(InputStream in, boolean multiplexed) {
        this.in = in;
        this.multiplexed = multiplexed;
    }

    /** The next frame, or null at the end of the stream. */
    LogFrame next() throws IOException {
        if (!multiplexed) {
            byte[] buf = new byte[RAW_CHUNK];
            int n = in.read(buf);
            if (n < 0) return null;
            return new LogFrame(LogFrame.Stream.STDOUT, java.util.Arrays.copyOf(buf, n));
        }
        byte[] header = new byte[8];
        int got = in.readNBytes(header, 0, 8);
        if (got == 0) return null;
        if (got < 8) throw new EOFException("stream ended inside a frame header (" + got + " of 8 bytes)");
        LogFrame.Stream stream = switch (header[0]) {
            case 0 -> LogFrame.Stream.STDIN;
            case 1 -> LogFrame.Stream.STDOUT;
            case 2 -> LogFrame.Stream.STDERR;
            default -> throw new IOException("not a multiplexed stream: frame type " + (header[0] & 0xff));
        };
        long size = ((header[4] & 0xffL) << 24) | ((header[5] & 0xff) << 16) | ((header[6] & 0xff) << 8)
                | (header[7] & 0xff);
        if (size > MAX_FRAME) throw new IOException("frame of " + size + " bytes exceeds " + MAX_FRAME);
        byte[] payload = in.readNBytes((int) size);
        if (payload.length < size) {
            throw new EOFException("stream ended inside a frame (" + payload.length + " of " + size + " bytes)");
        }
        return new LogFrame(stream, payload);
    }
}
