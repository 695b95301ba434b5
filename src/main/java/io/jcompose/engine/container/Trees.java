package io.jcompose.engine.container;

import java.io.IOException;
import java.nio.file.Path;

/** Deleting directory trees, only strictly inside a verified parent (never a path built from an empty string). */
final class Trees {
    private Trees() {}

    static void delete(Path tree, Path mustBeUnder) throws IOException {
        try {
            io.jcompose.engine.state.SafeTrees.deleteUnder(mustBeUnder, tree);
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
    }
}
