package io.jcompose.engine.image;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.LongConsumer;

/** Reports bytes read every 512 KiB and at the end, for Docker's "Extracting" progress. */
final class ProgressInputStream extends FilterInputStream {
    private static final long STEP = 512 * 1024;
    private final LongConsumer report;
    private long count;
    private long reported = -STEP;
    private boolean ended;

    ProgressInputStream(InputStream in, LongConsumer report) {
        super(in);
        this.report = report;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        advance(b < 0 ? -1 : 1);
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        advance(n);
        return n;
    }

    private void advance(int n) {
        if (n < 0) {
            if (!ended && count != reported) report.accept(count);
            ended = true;
            return;
        }
        count += n;
        if (count - reported >= STEP) {
            reported = count;
            report.accept(count);
        }
    }
}
