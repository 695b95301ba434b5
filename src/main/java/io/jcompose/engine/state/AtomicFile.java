package io.jcompose.engine.state;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.UUID;

/**
 * Crash-safe file replacement: after a crash a reader sees the old content or the new, never a mix or an empty
 * file. Write a temporary file in the same directory, fsync it, rename it over the target, fsync the directory
 * (so the rename itself survives a power cut).
 */
public final class AtomicFile {
    /** Leftovers of a write interrupted by a crash start with this; readers skip them, {@link #cleanTemporaries} removes them. */
    static final String TMP_PREFIX = ".tmp-";

    private AtomicFile() {}

    /** Replaces {@code target} with {@code data} atomically; the file is created 0600 (state may hold secrets). */
    public static void write(Path target, byte[] data) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Path tmp = dir.resolve(TMP_PREFIX + target.getFileName() + "-" + UUID.randomUUID());
        try {
            try (FileChannel ch = FileChannel.open(tmp, java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
                ByteBuffer buf = ByteBuffer.wrap(data);
                while (buf.hasRemaining()) ch.write(buf);
                ch.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        syncDirectory(dir);
    }

    /**
     * Renames {@code from} over {@code to} in one step (files or whole directories, e.g. an unpacked layer), so a
     * reader never sees a half-moved tree. Both must be on one filesystem; the caller syncs the directory.
     */
    public static void moveAtomically(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("cannot rename " + from + " to " + to + " atomically: both must be on one filesystem", e);
        }
    }

    /** Deletes {@code target} (if present) and makes the deletion durable; true if it existed. */
    public static boolean delete(Path target) throws IOException {
        boolean existed = Files.deleteIfExists(target);
        if (existed) syncDirectory(target.toAbsolutePath().getParent());
        return existed;
    }

    /** Makes renames and deletions in {@code dir} durable (Linux allows fsync on a directory opened read-only). */
    public static void syncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    /** Removes temporaries a crash left in {@code dir}; returns how many. */
    public static int cleanTemporaries(Path dir) throws IOException {
        int n = 0;
        try (var files = Files.newDirectoryStream(dir, TMP_PREFIX + "*")) {
            for (Path p : files) {
                if (Files.deleteIfExists(p)) n++;
            }
        }
        return n;
    }
}
