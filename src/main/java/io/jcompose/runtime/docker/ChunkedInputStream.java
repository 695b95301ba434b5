package io.jcompose.runtime.docker;

import java.io.IOException;
import java.io.InputStream;

/** Decodes an HTTP/1.1 chunked body; ends (-1) after the last chunk and its trailers. */
final class ChunkedInputStream extends InputStream {
    private final InputStream in;
    private long remaining; // bytes left in the current chunk
    private boolean eof;

    ChunkedInputStream(InputStream in) {
        this.in = in;
    }

    @Override
    public int read() throws IOException {
        byte[] b = new byte[1];
        int n = read(b, 0, 1);
        return n < 0 ? -1 : b[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (eof) return -1;
        if (len == 0) return 0;
        if (remaining == 0) {
            remaining = nextChunkSize();
            if (remaining == 0) {
                // Trailers: header lines until an empty one.
                while (!HttpWire.readLine(in).isEmpty()) { /* ignored */ }
                eof = true;
                return -1;
            }
        }
        int n = in.read(b, off, (int) Math.min(len, remaining));
        if (n < 0) throw new IOException("connection closed inside a chunk");
        remaining -= n;
        if (remaining == 0) {
            String crlf = HttpWire.readLine(in);
            if (!crlf.isEmpty()) throw new IOException("malformed chunk: missing CRLF after data");
        }
        return n;
    }

    @Override
    public int available() throws IOException {
        return eof ? 0 : (int) Math.min(remaining, in.available());
    }

    private long nextChunkSize() throws IOException {
        String line = HttpWire.readLine(in);
        int semi = line.indexOf(';');
        String hex = (semi >= 0 ? line.substring(0, semi) : line).trim();
        try {
            long size = Long.parseLong(hex, 16);
            if (size < 0) throw new NumberFormatException();
            return size;
        } catch (NumberFormatException e) {
            throw new IOException("malformed chunk size: \"" + line + "\"");
        }
    }

    boolean atEnd() {
        return eof;
    }
}
