package io.jcompose.engine.state;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The layout version of a state root, in {@code <root>/format-version}. An engine refuses a root written by a
 * newer jcompose (it could misread it and destroy state) and stamps a new root with its own version.
 */
public final class StateFormat {
    /** The layout this engine reads and writes. Raise it with a migration when the layout changes. */
    public static final int CURRENT = 1;
    static final String FILE = "format-version";

    private StateFormat() {}

    /** Checks (or, for a new root, writes) the format of {@code root}; returns the version found. */
    public static int check(Path root) throws IOException {
        Path f = root.resolve(FILE);
        if (!Files.exists(f)) {
            AtomicFile.write(f, (CURRENT + "\n").getBytes(StandardCharsets.US_ASCII));
            return CURRENT;
        }
        String text = Files.readString(f, StandardCharsets.US_ASCII).trim();
        int found;
        try {
            found = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new StateException("state root " + root + ": " + f.getFileName() + " holds \"" + text
                    + "\", not a format number; restore it (this engine writes " + CURRENT + ") or use another --root");
        }
        if (found > CURRENT) {
            throw new StateException("state root " + root + " has format " + found + ", written by a newer jcompose; this engine reads format "
                    + CURRENT + " at most: upgrade jcompose or use another --root");
        }
        if (found < 1) throw new StateException("state root " + root + ": invalid format " + found + " in " + f);
        return found;
    }
}
