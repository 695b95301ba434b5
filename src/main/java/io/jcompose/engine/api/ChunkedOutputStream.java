package io.jcompose.engine.api;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes a chunked body. Writes are buffered; {@link #flush()} sends what is buffered as one chunk, so a handler
 * that streams JSON lines flushes after each line and the client sees it at once. {@link #close()} sends the
 * last chunk but leaves the connection open.
 */
final class ChunkedOutputStream extends OutputStream {
    private static final byte[] CRLF = {'\r', '\n'};
    private final OutputStream out;
    private final byte[] buf;
    private int count;
    private boolean closed;

    ChunkedOutputStream(OutputStream out, int bufferSize) {
        this.out = out;
        this.buf = new byte[bufferSize];
    }

    @Override
    public void write(int b) throws IOException {
        ensureOpen();
        if (count == buf.length) sendChunk();
        buf[count++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        ensureOpen();
        if (len >= buf.length) {
            sendChunk();
            writeChunk(b, off, len);
            return;
        }
        if (len > buf.length - count) sendChunk();
        System.arraycopy(b, off, buf, count, len);
        count += len;
    }

    @Override
    public void flush() throws IOException {
        ensureOpen();
        sendChunk();
        out.flush();
    }

    @Override
    public void close() throws IOException {
        if (closed) return;
        sendChunk();
        closed = true;
        out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private void sendChunk() throws IOException {
        if (count == 0) return;
        writeChunk(buf, 0, count);
        count = 0;
    }

    private void writeChunk(byte[] b, int off, int len) throws IOException {
        if (len == 0) return; // a zero-size chunk would end the body
        out.write(Integer.toHexString(len).getBytes(StandardCharsets.US_ASCII));
        out.write(CRLF);
        out.write(b, off, len);
        out.write(CRLF);
    }

    private void ensureOpen() throws IOException {
        if (closed) throw new IOException("response body already closed");
    }
}
