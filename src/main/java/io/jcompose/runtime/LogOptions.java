package io.jcompose.runtime;

import java.time.Instant;

/**
 * Which logs to read.
 *
 * @param tail  number of last lines; -1: all
 * @param since null: from the start
 * @param until null: up to now (or forever, with follow)
 */
public record LogOptions(boolean stdout, boolean stderr, boolean follow, int tail, Instant since, Instant until,
                         boolean timestamps) {
    public static final LogOptions ALL = new LogOptions(true, true, false, -1, null, null, false);

    public LogOptions {
        if (!stdout && !stderr) throw new IllegalArgumentException("logs need stdout or stderr");
        if (tail < -1) throw new IllegalArgumentException("tail must be >= -1, got " + tail);
    }

    public LogOptions following() {
        return new LogOptions(stdout, stderr, true, tail, since, until, timestamps);
    }

    public LogOptions withTail(int lines) {
        return new LogOptions(stdout, stderr, follow, lines, since, until, timestamps);
    }
}
