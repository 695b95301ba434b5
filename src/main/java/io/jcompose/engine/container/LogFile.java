package io.jcompose.engine.container;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * conmon's {@code k8s-file} log: one line per record, {@code <RFC3339Nano> <stdout|stderr> <F|P> <text>}; {@code P}
 * (partial) records continue on the next record of the same stream. {@link #parse} turns lines into Docker log
 * entries (text with its newline, as Docker's json-file keeps it).
 */
public final class LogFile {
    private LogFile() {}

    /** One log entry: stream 1 stdout, 2 stderr; {@code text} ends with "\n" unless the output had none. */
    public record Entry(Instant time, int stream, String text) {}

    /** Parses one k8s-file line; null for a line that is not one (e.g. cut by a size-capped truncation). */
    static Entry parseLine(String line) {
        int a = line.indexOf(' ');
        if (a < 0) return null;
        int b = line.indexOf(' ', a + 1);
        if (b < 0) return null;
        int c = line.indexOf(' ', b + 1);
        String tag = c < 0 ? line.substring(b + 1) : line.substring(b + 1, c);
        String text = c < 0 ? "" : line.substring(c + 1);
        Instant t;
        try {
            t = java.time.OffsetDateTime.parse(line.substring(0, a)).toInstant();
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
        String stream = line.substring(a + 1, b);
        int s = stream.equals("stdout") ? 1 : stream.equals("stderr") ? 2 : 0;
        if (s == 0) return null;
        boolean partial = tag.contains("P");
        return new Entry(t, s, partial ? text : text + "\n");
    }

    /** Every entry of {@code lines}, partial records joined with the following record of their stream. */
    public static List<Entry> parse(List<String> lines) {
        List<Entry> out = new ArrayList<>();
        Entry[] pending = new Entry[3];
        for (String line : lines) {
            Entry e = parseLine(line);
            if (e == null) continue;
            Entry p = pending[e.stream()];
            if (p != null) e = new Entry(p.time(), e.stream(), p.text() + e.text());
            if (!e.text().endsWith("\n")) {
                pending[e.stream()] = e;
                continue;
            }
            pending[e.stream()] = null;
            out.add(e);
        }
        for (Entry p : pending) if (p != null) out.add(p);
        return out;
    }

    /** A reader that follows the file from a byte offset, returning only whole lines. */
    public static final class Follower implements AutoCloseable {
        private final RandomAccessFile f;
        private long pos;
        /** Bytes of an unfinished line (kept as bytes: a read may end inside a UTF-8 sequence). */
        private final java.io.ByteArrayOutputStream partial = new java.io.ByteArrayOutputStream();

        public Follower(Path file, long from) throws IOException {
            if (!Files.exists(file)) Files.createFile(file);
            f = new RandomAccessFile(file.toFile(), "r");
            pos = from;
        }

        /** Whole lines written since the last call; a truncated file (size cap) restarts from its beginning. */
        public List<String> poll() throws IOException {
            long len = f.length();
            if (len < pos) {
                pos = 0;
                partial.reset();
            }
            List<String> lines = new ArrayList<>();
            if (len == pos) return lines;
            byte[] b = new byte[(int) Math.min(len - pos, 1 << 20)];
            f.seek(pos);
            f.readFully(b);
            pos += b.length;
            int start = 0;
            for (int i = 0; i < b.length; i++) {
                if (b[i] != '\n') continue;
                partial.write(b, start, i - start);
                lines.add(partial.toString(StandardCharsets.UTF_8));
                partial.reset();
                start = i + 1;
            }
            partial.write(b, start, b.length - start);
            return lines;
        }

        @Override
        public void close() throws IOException {
            f.close();
        }
    }
}
