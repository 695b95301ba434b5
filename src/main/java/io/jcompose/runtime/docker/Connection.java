package io.jcompose.runtime.docker;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** One open byte stream to the engine, buffered in both directions. */
final class Connection implements Closeable {
    private final BufferedInputStream in;
    private final BufferedOutputStream out;
    private final Closeable closer;
    private final HalfCloser halfCloser;
    private volatile boolean closed;

    /** Shuts down the write side only (so the engine sees EOF on stdin of a hijacked stream). */
    interface HalfCloser {
        void shutdownOutput() throws IOException;
    }

    Connection(InputStream in, OutputStream out, Closeable closer, HalfCloser halfCloser) {
        this.in = new BufferedInputStream(in, 64 * 1024);
        this.out = new BufferedOutputStream(out, 16 * 1024);
        this.closer = closer;
        this.halfCloser = halfCloser;
    }

    BufferedInputStream in() {
        return in;
    }

    BufferedOutputStream out() {
        return out;
    }

    void shutdownOutput() throws IOException {
        out.flush();
        halfCloser.shutdownOutput();
    }

    boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        try {
            closer.close();
        } catch (IOException ignored) {
            // Closing a dead connection has nothing left to report.
        }
    }
}
