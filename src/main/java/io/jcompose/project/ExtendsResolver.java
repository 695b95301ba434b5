package io.jcompose.project;

import java.nio.file.Path;

/** Stage 4b: service {@code extends} (same file and other files, chains); cycles are located errors. */
public final class ExtendsResolver {
    /** Returns {@code fileTree} with every {@code extends} applied and removed. {@code file} is absolute. */
    public Node resolve(Node fileTree, Path file, ComposeFileSource source) {
        throw new UnsupportedOperationException("ExtendsResolver: being implemented (loader-merge)");
    }
}
