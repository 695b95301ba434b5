package io.jcompose.engine.image;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/** Recursive delete that never leaves a verified root and never follows symlinks. */
final class Trees {
    private Trees() {}

    static void deleteUnder(Path root, Path victim) throws IOException {
        Path r = root.toAbsolutePath().normalize();
        Path v = victim.toAbsolutePath().normalize();
        if (!v.startsWith(r) || v.equals(r) || r.getNameCount() < 1) {
            throw new IllegalArgumentException("refusing to delete " + v + ": not strictly under " + r);
        }
        if (!Files.exists(v, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return;
        Files.walkFileTree(v, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException exc) throws IOException {
                if (exc instanceof NoSuchFileException) return FileVisitResult.CONTINUE;
                throw exc;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                if (exc != null) throw exc;
                Files.deleteIfExists(dir);
                return FileVisitResult.CONTINUE;
            }
        });
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
