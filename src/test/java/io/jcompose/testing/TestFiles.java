package io.jcompose.testing;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/** Careful recursive deletion for fixtures that run as root. */
public final class TestFiles {
    private TestFiles() {}

    /**
     * Deletes {@code tree} (not following symlinks) only if it lies strictly inside {@code mustBeUnder}; a path
     * that is not under it is refused with an exception, never deleted (see design §6: a root script once
     * deleted a host file through an empty variable). Does not cross mount points.
     */
    public static void deleteTree(Path tree, Path mustBeUnder) {
        Path t = tree.toAbsolutePath().normalize();
        Path root = mustBeUnder.toAbsolutePath().normalize();
        if (!t.startsWith(root) || t.equals(root) || t.getNameCount() < 2)
            throw new IllegalArgumentException("refusing to delete " + t + ": not inside " + root);
        if (!Files.exists(t, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return;
        try {
            Object rootDev = Files.getAttribute(t, "unix:dev", java.nio.file.LinkOption.NOFOLLOW_LINKS);
            Files.walkFileTree(t, new SimpleFileVisitor<>() {
                @Override public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                    if (!rootDev.equals(Files.getAttribute(dir, "unix:dev", java.nio.file.LinkOption.NOFOLLOW_LINKS)))
                        throw new IOException("refusing to delete across a mount point at " + dir);
                    return FileVisitResult.CONTINUE;
                }

                @Override public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                    if (exc != null) throw exc;
                    Files.delete(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new IllegalStateException("cannot delete " + t + ": " + e.getMessage(), e);
        }
    }
}
