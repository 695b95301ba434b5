package io.jcompose.project;

import java.nio.file.Path;

/** Stage 4a: top-level {@code include} (short and long form); include cycles are located errors. */
public final class IncludeResolver {
    /** Returns {@code fileTree} without its {@code include} key, the included projects' resources merged in. */
    public Node resolve(Node fileTree, Path file, ComposeFileSource source) {
        throw new UnsupportedOperationException("IncludeResolver: being implemented (loader-merge)");
    }
}
