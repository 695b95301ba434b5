package io.jcompose.engine.image;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/** Tree helpers of the image store; deletion is engine.state.SafeTrees (never leaves a verified root, never crosses a mount). */
final class Trees {
    private Trees() {}

    static void deleteUnder(Path root, Path victim) throws IOException {
        io.jcompose.engine.state.SafeTrees.deleteUnder(root, victim);
    }

    /** Bytes of regular files under dir (Docker's layer "Size"). */
    static long sizeOf(Path dir) throws IOException {
        if (!Files.exists(dir)) return 0;
        long[] total = {0};
        java.util.Set<Object> seen = new java.util.HashSet<>();
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                // Hard links count once, as Docker's directory.Size does.
                if (attrs.isRegularFile() && (attrs.fileKey() == null || seen.add(attrs.fileKey()))) total[0] += attrs.size();
                return FileVisitResult.CONTINUE;
            }
        });
        return total[0];
    }
}
