package io.jcompose.engine.image;

import io.jcompose.engine.state.AtomicFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.LongConsumer;

/**
 * Content-addressed blobs at {@code <root>/blobs/sha256/<hex>}.
 *
 * <p>Contract: a blob file exists only with its complete, verified content. Writes stream into a temp file in the
 * same directory while hashing, are checked against the expected digest, forced to disk and renamed into place;
 * an interrupted write leaves only a {@code .tmp-*} file, removed when the store is opened. Reads do not re-hash
 * (that would double every read); {@link #verify} does it on demand.
 */
public final class ContentStore {
    private final Path dir;

    public ContentStore(Path root) throws IOException {
        this.dir = root.resolve("blobs").resolve("sha256");
        Files.createDirectories(dir);
        AtomicFile.cleanTemporaries(dir);
    }

    public Path path(Digest d) {
        return dir.resolve(d.hex());
    }

    public boolean has(Digest d) {
        return Files.isRegularFile(path(d));
    }

    public long size(Digest d) throws IOException {
        try {
            return Files.size(path(d));
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException("blob " + d + " is not in the content store");
        }
    }

    /**
     * Stores a stream. With an expected digest, content that hashes differently is discarded and
     * {@link DigestMismatchException} thrown; the progress callback gets the running byte count.
     */
    public Digest write(InputStream in, Optional<Digest> expected, LongConsumer progress) throws IOException {
        Path tmp = Files.createTempFile(dir, ".tmp-", ".part");
        try {
            MessageDigest md = Digest.sha256();
            long total = 0;
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE);
                 OutputStream out = Channels.newOutputStream(ch)) {
                byte[] buf = new byte[65536];
                for (int n; (n = in.read(buf)) > 0; ) {
                    md.update(buf, 0, n);
                    out.write(buf, 0, n);
                    total += n;
                    progress.accept(total);
                }
                out.flush();
                ch.force(true);
            }
            Digest actual = Digest.of(md);
            if (expected.isPresent() && !expected.get().equals(actual)) {
                throw new DigestMismatchException("blob", expected.get(), actual);
            }
            if (!has(actual)) {
                AtomicFile.moveAtomically(tmp, path(actual));
                AtomicFile.syncDirectory(dir);
            }
            return actual;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    public Digest write(byte[] content) throws IOException {
        return write(new java.io.ByteArrayInputStream(content), Optional.of(Digest.of(content)), n -> {});
    }

    /** Opens a blob without re-hashing it. */
    public InputStream open(Digest d) throws IOException {
        try {
            return Files.newInputStream(path(d));
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException("blob " + d + " is not in the content store");
        }
    }

    /** Reads a (small) blob and checks its digest: used for manifests and configs, which decide everything else. */
    public byte[] readVerified(Digest d) throws IOException {
        byte[] b;
        try {
            b = Files.readAllBytes(path(d));
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException("blob " + d + " is not in the content store");
        }
        Digest actual = Digest.of(b);
        if (!actual.equals(d)) throw new DigestMismatchException("stored blob " + path(d), d, actual);
        return b;
    }

    /** Re-hashes a stored blob; a corrupt one is deleted so the next pull fetches it again. */
    public void verify(Digest d) throws IOException {
        Digest actual;
        try (InputStream in = open(d)) {
            actual = Digest.of(in);
        }
        if (!actual.equals(d)) {
            Files.deleteIfExists(path(d));
            throw new DigestMismatchException("stored blob " + path(d), d, actual);
        }
    }

    public void delete(Digest d) throws IOException {
        Files.deleteIfExists(path(d));
    }

    public SortedSet<Digest> list() throws IOException {
        SortedSet<Digest> out = new TreeSet<>();
        try (var s = Files.newDirectoryStream(dir)) {
            for (Path p : s) {
                String n = p.getFileName().toString();
                if (!n.startsWith(".")) out.add(new Digest(n));
            }
        }
        return out;
    }
}
