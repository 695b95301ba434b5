package io.jcompose.engine.image;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * gzip with a fixed header (no name, mtime 0, OS "unknown"), so the compressed digest depends only on the bytes
 * and the level. The JDK's GZIPOutputStream changed its OS byte between releases; this one does not.
 */
final class OciGzipOutputStream extends FilterOutputStream {
    private static final byte[] HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff};

    private final Deflater deflater;
    private final DeflaterOutputStream deflating;
    private final CRC32 crc = new CRC32();
    private long length;
    private boolean finished;

    OciGzipOutputStream(OutputStream out, int level) throws IOException {
        super(out);
        out.write(HEADER);
        deflater = new Deflater(level, true);
        deflating = new DeflaterOutputStream(out, deflater, 64 * 1024);
    }

    @Override public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override public void write(byte[] b, int off, int len) throws IOException {
        deflating.write(b, off, len);
        crc.update(b, off, len);
        length += len;
    }

    void finish() throws IOException {
        if (finished) return;
        finished = true;
        deflating.finish();
        deflater.end();
        long c = crc.getValue();
        long n = length & 0xffffffffL;
        out.write(new byte[] {(byte) c, (byte) (c >> 8), (byte) (c >> 16), (byte) (c >> 24),
                (byte) n, (byte) (n >> 8), (byte) (n >> 16), (byte) (n >> 24)});
    }

    @Override public void close() throws IOException {
        try {
            finish();
        } finally {
            out.close();
        }
    }
}
