package io.jcompose.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * {@code src/test/resources/e2e/known-failures.txt}: scenarios that have a test which fails today, each with the
 * reason. One per line, {@code TestName<whitespace>reason}; {@code #} starts a comment. The runner expects these
 * to fail (reported as aborted, so CI stays green) and fails any that passes, so the list cannot rot.
 */
final class KnownFailures {
    static final String RESOURCE = "/e2e/known-failures.txt";

    private KnownFailures() {}

    /** Scenario name → reason, sorted. */
    static SortedMap<String, String> load() {
        try (InputStream in = KnownFailures.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IllegalStateException("missing test resource " + RESOURCE);
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static SortedMap<String, String> parse(String text) {
        SortedMap<String, String> out = new TreeMap<>();
        int n = 0;
        for (String raw : text.split("\n", -1)) {
            n++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            String[] parts = line.split("\\s+", 2);
            if (!parts[0].matches("Test\\w+") || parts.length < 2 || parts[1].isBlank()) {
                throw new IllegalArgumentException(RESOURCE + ":" + n + ": expected 'TestName reason', got \"" + line + "\"");
            }
            if (out.put(parts[0], parts[1].strip()) != null) {
                throw new IllegalArgumentException(RESOURCE + ":" + n + ": " + parts[0] + " listed twice");
            }
        }
        return Collections.unmodifiableSortedMap(out);
    }
}
