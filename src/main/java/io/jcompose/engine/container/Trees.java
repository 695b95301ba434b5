package io.jcompose.engine.container;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/** Deleting directory trees, only strictly inside a verified parent (never a path built from an empty string). */
final class Trees {
    private Trees() {}

    static void delete(Path tree, Path mustBeUnder) throws IOException {
        Path t = tree.toAbsolutePath().normalize();
        Path base = mustBeUnder.toAbsolutePath().normalize();
        if (!t.startsWith(base) || t.equals(base) || base.getNameCount() < 1) {
            throw new IOException("refusing to delete " + t + ": not strictly under " + base);
        }
        if (!Files.exists(t, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return;
        java.util.Set<String> mounts = Mounts.all();
        Files.walkFileTree(t, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                // Never descend into a mount (a bind source or a leftover rootfs): unmount first or fail.
                if (!dir.equals(t) && mounts.contains(dir.toString())) throw new IOException("refusing to delete across mount " + dir);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                if (exc != null) throw exc;
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
