package io.jcompose.engine.volume;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A short, private temp root for volume tests, removed without crossing into anything still mounted. */
final class VolumeTestRoot {
    private VolumeTestRoot() {}

    static Path create() throws IOException {
        return Files.createTempDirectory(Path.of("/tmp"), "jc-vol-").toRealPath();
    }

    static void delete(Path root) throws IOException {
        if (root == null || !root.toString().startsWith("/tmp/jc-vol-")) return;
        Volumes.deleteTree(root);
    }
}
