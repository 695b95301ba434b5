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

    /** {@code log.k} for k ≥ 1: the k-th newest rotated file of {@code log}. */
    static Path rotated(Path log, int k) {
        return log.resolveSibling(log.getFileName() + "." + k);
    }

    /**
     * Rotation: drops the oldest file, renames {@code log.k} to {@code log.k+1} and {@code log} to {@code log.1},
     * keeping {@code maxFiles} files in all (the writer then reopens {@code log}).
     */
    static void shift(Path log, int maxFiles) throws IOException {
        Files.deleteIfExists(rotated(log, maxFiles - 1));
        for (int k = maxFiles - 2; k >= 1; k--) {
            if (Files.exists(rotated(log, k))) Files.move(rotated(log, k), rotated(log, k + 1));
        }
        Files.move(log, rotated(log, 1));
    }

    /** Whole lines of a log and its rotated files, oldest first, and the byte length of the current file read. */
    public record Snapshot(List<String> lines, long offset) {}

    /**
     * The lines of {@code log} and its rotated files, oldest first (what {@code docker logs} reads), and where a
     * follower of {@code log} continues: the current file is read once, so nothing falls between the two.
     */
    public static Snapshot readAll(Path log) throws IOException {
        List<Path> files = new ArrayList<>();
        for (int k = 1; Files.exists(rotated(log, k)); k++) files.add(0, rotated(log, k));
        List<String> lines = new ArrayList<>();
        for (Path f : files) {
            try {
                lines.addAll(Files.readAllLines(f, StandardCharsets.UTF_8));
            } catch (java.nio.file.NoSuchFileException e) {
                // dropped by a rotation meanwhile (the oldest file)
            }
        }
        if (!Files.exists(log)) return new Snapshot(lines, 0);
        byte[] b = Files.readAllBytes(log);
        int end = b.length;
        while (end > 0 && b[end - 1] != '\n') end--; // an unfinished line is the follower's
        String text = new String(b, 0, end, StandardCharsets.UTF_8);
        if (!text.isEmpty()) lines.addAll(List.of(text.substring(0, text.length() - 1).split("\n", -1)));
        return new Snapshot(lines, end);
    }

    /**
     * A reader that follows the file from a byte offset, returning only whole lines. When the file is rotated (a
     * new file at the path), the old one is read to its end before the new one is followed from its start.
     */
    public static final class Follower implements AutoCloseable {
        private final Path file;
        private RandomAccessFile f;
        private Object key;
        private long pos;
        /** Bytes of an unfinished line (kept as bytes: a read may end inside a UTF-8 sequence). */
        private final java.io.ByteArrayOutputStream partial = new java.io.ByteArrayOutputStream();

        public Follower(Path file, long from) throws IOException {
            this.file = file;
            if (!Files.exists(file)) Files.createFile(file);
            f = new RandomAccessFile(file.toFile(), "r");
            key = fileKey(file);
            pos = from;
        }

        private static Object fileKey(Path p) {
            try {
                return Files.readAttributes(p, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
            } catch (IOException e) {
                return null;
            }
        }

        /**
         * Whole lines written since the last call; a truncated file (size cap) restarts from its beginning, a
         * rotated one is finished before the new file is read.
         */
        public List<String> poll() throws IOException {
            Object now = fileKey(file);
            if (now != null && !now.equals(key)) {
                List<String> rest = read();
                f.close();
                f = new RandomAccessFile(file.toFile(), "r");
                key = now;
                pos = 0;
                partial.reset();
                rest.addAll(read());
                return rest;
            }
            return read();
        }

        private List<String> read() throws IOException {
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
