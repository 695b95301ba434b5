package io.jcompose.engine.api;

import java.io.IOException;
import java.io.InputStream;

/**
 * A {@code Transfer-Encoding: chunked} body: hex size lines (extensions ignored), data, CRLF, a zero chunk and
 * optional trailers (read and dropped). Ends after the last chunk; the connection stays usable.
 */
final class ChunkedInputStream extends InputStream {
    private final InputStream in;
    private long chunkLeft;
    private boolean started;
    private boolean done;

    ChunkedInputStream(InputStream in) {
        this.in = in;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (done) return -1;
        if (len == 0) return 0;
        if (chunkLeft == 0) {
            nextChunk();
            if (done) return -1;
        }
        int n = in.read(b, off, (int) Math.min(len, chunkLeft));
        if (n < 0) throw new HttpProtocolException("connection closed inside a chunk");
        chunkLeft -= n;
        return n;
    }

    private void nextChunk() throws IOException {
        if (started) {
            String crlf = HttpReader.readLine(in, false);
            if (!crlf.isEmpty()) throw new HttpProtocolException("chunk not followed by CRLF");
        }
        started = true;
        String line = HttpReader.readLine(in, false);
        int semi = line.indexOf(';');
        String hex = (semi >= 0 ? line.substring(0, semi) : line).trim();
        if (hex.isEmpty() || hex.length() > 15) throw new HttpProtocolException("invalid chunk size \"" + line + "\"");
        try {
            chunkLeft = Long.parseLong(hex, 16);
        } catch (NumberFormatException e) {
            throw new HttpProtocolException("invalid chunk size \"" + line + "\"");
        }
        if (chunkLeft < 0) throw new HttpProtocolException("invalid chunk size \"" + line + "\"");
        if (chunkLeft == 0) {
            int trailerBytes = 0;
            String trailer;
            while (!(trailer = HttpReader.readLine(in, false)).isEmpty()) {
                trailerBytes += trailer.length();
                if (trailerBytes > HttpReader.MAX_HEAD) throw new HttpProtocolException("trailers too large");
            }
            done = true;
        }
    }

    /** Does not close the connection: the next request may follow on it. */
    @Override
    public void close() {}
}
