package io.jcompose.engine.image;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Atomic whole-file writes (tmp + fsync + rename + fsync of the directory), so a crash leaves either the old or
 * the new file. Kept package-private here until the lead unifies it with engine.state's equivalent.
 */
final class AtomicFiles {
    private AtomicFiles() {}

    static void write(Path target, byte[] content) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".tmp-", ".part");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(content);
                while (buf.hasRemaining()) ch.write(buf);
                ch.force(true);
            }
            moveAtomically(tmp, target);
        } finally {
            Files.deleteIfExists(tmp);
        }
        syncDirectory(dir);
    }

    static void moveAtomically(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("cannot rename " + from + " to " + to + " atomically: both must be on one filesystem", e);
        }
    }

    static void syncDirectory(Path dir) {
        // Makes the rename itself durable; some filesystems refuse to open a directory for sync, which is harmless.
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException ignored) {
            // best effort: the data itself was already forced
        }
    }

    /** Removes leftovers of interrupted writes ({@code .tmp-*}) in one directory. */
    static void cleanTemps(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return;
        try (var s = Files.newDirectoryStream(dir, ".tmp-*")) {
            for (Path p : s) Files.deleteIfExists(p);
        }
    }
}
