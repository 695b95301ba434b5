package io.jcompose.engine.state;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashSet;
import java.util.Set;

/**
 * The engine's one recursive delete. It removes {@code victim} only if it lies strictly under {@code root} (so a path
 * built from an empty string can never reach the host), never follows symlinks, and refuses to descend into a mount
 * point (a bind source or a leftover rootfs must be unmounted first, or it would be emptied).
 */
public final class SafeTrees {
    private SafeTrees() {}

    /** Deletes {@code victim} and everything below it; absent is fine. @throws IllegalArgumentException if not under root */
    public static void deleteUnder(Path root, Path victim) throws IOException {
        Path r = root.toAbsolutePath().normalize();
        Path v = victim.toAbsolutePath().normalize();
        if (!v.startsWith(r) || v.equals(r) || r.getNameCount() < 1) {
            throw new IllegalArgumentException("refusing to delete " + v + ": not strictly under " + r);
        }
        if (!Files.exists(v, LinkOption.NOFOLLOW_LINKS)) return;
        Set<String> mounts = mountPoints();
        Files.walkFileTree(v, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                if (!dir.equals(v) && mounts.contains(dir.toString())) throw new IOException("refusing to delete across mount " + dir);
                return FileVisitResult.CONTINUE;
            }

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

    /** Mount points from /proc/self/mountinfo (field 5, with the kernel's octal escape for spaces undone). */
    static Set<String> mountPoints() throws IOException {
        Set<String> out = new HashSet<>();
        Path info = Path.of("/proc/self/mountinfo");
        if (!Files.exists(info)) return out;
        for (String line : Files.readAllLines(info)) {
            String[] f = line.split(" ", 6);
            if (f.length > 4) out.add(f[4].replace("\\040", " "));
        }
        return out;
    }
}
