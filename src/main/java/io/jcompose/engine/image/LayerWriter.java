package io.jcompose.engine.image;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Writes one image layer from a directory tree, deterministically: entries sorted by name, every mtime the
 * same fixed instant, owner 0:0 unless told otherwise, permission bits (setuid/setgid/sticky included),
 * symlinks, hard links, device nodes and fifos preserved; sockets are skipped (they cannot live in a tar).
 * The same tree gives the same tar bytes, the same gzip bytes and so the same digests.
 *
 * <p>Example: {@code new LayerWriter(Optional.of(new Ownership(0, 0)), Instant.EPOCH).writeBlob(dir, layout)}.
 */
public final class LayerWriter {
    public static final String OCI_LAYER = "application/vnd.oci.image.layer.v1.tar+gzip";
    public static final String DOCKER_LAYER = "application/vnd.docker.image.rootfs.diff.tar.gzip";

    /** The owner every entry gets. */
    public record Ownership(int uid, int gid) {
        public Ownership {
            if (uid < 0 || gid < 0) throw new IllegalArgumentException("uid/gid must be >= 0, got " + uid + ":" + gid);
        }
    }

    /**
     * A written layer. {@code digest} names the gzip blob, {@code diffId} the uncompressed tar (the
     * image config's rootfs.diff_ids), {@code size} is the blob's size in bytes.
     */
    public record Layer(String digest, String diffId, long size) {
        public Layer {
            if (!digest.startsWith("sha256:") || !diffId.startsWith("sha256:"))
                throw new IllegalArgumentException("digests must be sha256: " + digest + ", " + diffId);
        }
    }

    private final Optional<Ownership> owner; // empty: each entry keeps its owner from the file system
    private final Instant mtime;
    private final int gzipLevel;

    public LayerWriter(Optional<Ownership> owner, Instant mtime, int gzipLevel) {
        this.owner = owner;
        this.mtime = mtime;
        if (gzipLevel < 0 || gzipLevel > 9) throw new IllegalArgumentException("gzip level 0..9, got " + gzipLevel);
        this.gzipLevel = gzipLevel;
    }

    public LayerWriter(Optional<Ownership> owner, Instant mtime) {
        this(owner, mtime, 6);
    }

    /** Root-owned entries, mtime 1970-01-01: the default for built images. */
    public static LayerWriter deterministic() {
        return new LayerWriter(Optional.of(new Ownership(0, 0)), Instant.EPOCH);
    }

    /** Same settings but keeping owners from the file system (for root file systems made by a package manager). */
    public LayerWriter keepingOwners() {
        return new LayerWriter(Optional.empty(), mtime, gzipLevel);
    }

    /** Writes the uncompressed layer tar of {@code dir}'s contents (not {@code dir} itself) to {@code out}. */
    public void writeTar(Path dir, OutputStream out) throws IOException {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS))
            throw new IOException("layer source " + dir + " is not a directory");
        TarArchiveOutputStream tar = new TarArchiveOutputStream(out, "UTF-8");
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        tar.setAddPaxHeadersForNonAsciiNames(true);
        walk(dir, "", tar, new HashMap<>());
        tar.finish();
        tar.flush();
    }

    /** Writes the gzipped layer into {@code layoutRoot}'s blob store (an OCI layout) and returns its digests. */
    public Layer writeBlob(Path dir, Path layoutRoot) throws IOException {
        return writeBlob(dir, new OciLayout(layoutRoot));
    }

    Layer writeBlob(Path dir, OciLayout layout) throws IOException {
        Path tmp = Files.createTempFile(layout.blobDir(), ".layer-", "");
        try {
            MessageDigest compressed = OciLayout.sha256Digest();
            MessageDigest uncompressed = OciLayout.sha256Digest();
            long size;
            try (OutputStream file = Files.newOutputStream(tmp);
                 CountingOutputStream counted = new CountingOutputStream(new DigestOutputStream(file, compressed));
                 OciGzipOutputStream gz = new OciGzipOutputStream(counted, gzipLevel);
                 OutputStream raw = new BufferedOutputStream(new DigestOutputStream(gz, uncompressed), 64 * 1024)) {
                writeTar(dir, raw);
                raw.flush();
                gz.finish();
                size = counted.count;
            }
            String digest = "sha256:" + HexFormat.of().formatHex(compressed.digest());
            String diffId = "sha256:" + HexFormat.of().formatHex(uncompressed.digest());
            Path target = layout.blob(digest);
            if (Files.exists(target)) Files.delete(tmp);
            else OciLayout.moveIntoPlace(tmp, target);
            return new Layer(digest, diffId, size);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private void walk(Path dir, String prefix, TarArchiveOutputStream tar, Map<String, String> inodes)
            throws IOException {
        List<Path> children = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            s.forEach(children::add);
        }
        // Sorted by name: directory listing order is file-system dependent.
        children.sort((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
        for (Path child : children) {
            String name = prefix + child.getFileName();
            Map<String, Object> a = Files.readAttributes(child, "unix:*", LinkOption.NOFOLLOW_LINKS);
            int mode = (Integer) a.get("mode");
            int type = mode & 0170000;
            TarArchiveEntry e;
            boolean content = false;
            switch (type) {
                case 0040000 -> e = new TarArchiveEntry(name + "/", TarConstants.LF_DIR);
                case 0120000 -> {
                    e = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
                    e.setLinkName(Files.readSymbolicLink(child).toString());
                }
                case 0100000 -> {
                    String key = a.get("dev") + ":" + a.get("ino");
                    String first = ((Integer) a.get("nlink")) > 1 ? inodes.putIfAbsent(key, name) : null;
                    if (first != null) {
                        e = new TarArchiveEntry(name, TarConstants.LF_LINK);
                        e.setLinkName(first);
                    } else {
                        e = new TarArchiveEntry(name, TarConstants.LF_NORMAL);
                        e.setSize((Long) a.get("size"));
                        content = true;
                    }
                }
                case 0020000, 0060000 -> {
                    e = new TarArchiveEntry(name, type == 0020000 ? TarConstants.LF_CHR : TarConstants.LF_BLK);
                    long rdev = (Long) a.get("rdev");
                    e.setDevMajor((int) (((rdev >> 8) & 0xfff) | ((rdev >> 32) & ~0xfffL)));
                    e.setDevMinor((int) ((rdev & 0xff) | ((rdev >> 12) & ~0xffL)));
                }
                case 0010000 -> e = new TarArchiveEntry(name, TarConstants.LF_FIFO);
                default -> {
                    continue; // sockets: not representable in a layer
                }
            }
            e.setMode(mode & 07777);
            int uid = owner.map(Ownership::uid).orElse((Integer) a.get("uid"));
            int gid = owner.map(Ownership::gid).orElse((Integer) a.get("gid"));
            e.setUserId(uid);
            e.setGroupId(gid);
            e.setUserName("");
            e.setGroupName("");
            e.setModTime(FileTime.from(mtime));
            tar.putArchiveEntry(e);
            if (content) Files.copy(child, tar);
            tar.closeArchiveEntry();
            if (type == 0040000) walk(child, name + "/", tar, inodes);
        }
    }

    private static final class CountingOutputStream extends java.io.FilterOutputStream {
        long count;

        CountingOutputStream(OutputStream out) {
            super(out);
        }

        @Override public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }
}
