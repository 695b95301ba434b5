package io.jcompose.engine.image;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorInputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdUtils;

/**
 * Extracts one layer tar (plain, gzip, bzip2; zstd only when commons-compress finds zstd-jni) into an empty
 * directory in overlayfs form: {@code .wh.x} becomes a 0/0 character device {@code x}; {@code .wh..wh..opq} sets
 * {@code trusted.overlay.opaque=y} on its directory. Entries named with {@code ..} or an absolute path, entries
 * written through a symlink, and links that escape the layer fail the whole layer. Modes (setuid, setgid,
 * sticky), owners, mtimes (symlinks too) and {@code SCHILY.xattr.*} are kept. Tars without end-of-archive blocks
 * are accepted. Returns the diff_id: sha256 of the whole uncompressed stream.
 */
final class LayerUnpacker {
    private static final String WH = ".wh.";
    private static final String OPAQUE = ".wh..wh..opq";

    /** The outcome: the diff_id and the uncompressed size in bytes. */
    record Result(Digest diffId, long size) {}

    private LayerUnpacker() {}

    static Result unpack(InputStream raw, Path dir) throws IOException {
        MessageDigest md = Digest.sha256();
        CountingInputStream counted = new CountingInputStream(decompress(raw));
        DigestInputStream dis = new DigestInputStream(counted, md);
        Path root = dir.toAbsolutePath().normalize();
        Files.createDirectories(root);
        Deque<Runnable> dirTimes = new ArrayDeque<>();
        TarArchiveInputStream tar = new TarArchiveInputStream(dis, true);
        TarArchiveEntry e;
        while ((e = tar.getNextEntry()) != null) {
            extract(tar, e, root, dirTimes);
        }
        // The diff_id covers the whole stream: the end blocks and any padding after them too.
        byte[] buf = new byte[65536];
        while (dis.read(buf) > 0) { /* drain */ }
        // Directory mtimes last: creating children changed them.
        while (!dirTimes.isEmpty()) dirTimes.pop().run();
        return new Result(Digest.of(md), counted.count);
    }

    static InputStream decompress(InputStream raw) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw, 65536);
        in.mark(8);
        byte[] m = in.readNBytes(6);
        in.reset();
        if (m.length >= 2 && (m[0] & 0xff) == 0x1f && (m[1] & 0xff) == 0x8b) return new GZIPInputStream(in, 65536);
        if (m.length >= 4 && (m[0] & 0xff) == 0x28 && (m[1] & 0xff) == 0xb5 && (m[2] & 0xff) == 0x2f && (m[3] & 0xff) == 0xfd) {
            if (!ZstdUtils.isZstdCompressionAvailable()) {
                throw new ImageException(ImageException.Kind.INVALID,
                        "layer is zstd-compressed, which this engine cannot read (commons-compress needs zstd-jni); re-push the image with gzip layers");
            }
            return new ZstdCompressorInputStream(in);
        }
        if (m.length >= 3 && m[0] == 'B' && m[1] == 'Z' && m[2] == 'h') return new BZip2CompressorInputStream(in, true);
        if (m.length >= 6 && (m[0] & 0xff) == 0xfd && m[1] == '7' && m[2] == 'z' && m[3] == 'X' && m[4] == 'Z') {
            throw new ImageException(ImageException.Kind.INVALID, "layer is xz-compressed, which is not supported; use gzip");
        }
        return in;
    }

    private static void extract(TarArchiveInputStream tar, TarArchiveEntry e, Path root, Deque<Runnable> dirTimes) throws IOException {
        String name = cleanName(e.getName());
        if (name.isEmpty()) { // "./" itself: the layer root's metadata
            applyMetadata(root, e, dirTimes);
            return;
        }
        Path target = root.resolve(name).normalize();
        if (!target.startsWith(root) || target.equals(root)) throw reject(e.getName(), "path escapes the layer");
        Path parent = target.getParent();
        ensureParents(root, parent, e.getName());
        String base = target.getFileName().toString();
        if (base.equals(OPAQUE)) {
            Native.lsetxattr(parent, "trusted.overlay.opaque", "y".getBytes(StandardCharsets.US_ASCII));
            return;
        }
        if (base.startsWith(WH + WH)) return; // aufs bookkeeping (.wh..wh.plnk etc.), meaningless for overlay
        if (base.startsWith(WH)) {
            Path hidden = parent.resolve(base.substring(WH.length()));
            removeExisting(root, hidden);
            Native.mknod(hidden, Native.S_IFCHR, 0);
            return;
        }
        boolean existingDir = Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS);
        if (!(e.isDirectory() && existingDir)) removeExisting(root, target);
        if (e.isDirectory()) {
            if (!existingDir) Files.createDirectory(target);
        } else if (e.isSymbolicLink()) {
            String link = e.getLinkName();
            if (!link.startsWith("/")) {
                Path resolved = parent.resolve(link).normalize();
                if (!resolved.startsWith(root)) throw reject(e.getName(), "symlink target \"" + link + "\" escapes the layer");
            }
            Files.createSymbolicLink(target, Path.of(link));
        } else if (e.isLink()) {
            String ln = cleanName(e.getLinkName());
            Path src = root.resolve(ln).normalize();
            if (ln.isEmpty() || !src.startsWith(root) || src.equals(root)) throw reject(e.getName(), "hard link target \"" + e.getLinkName() + "\" escapes the layer");
            ensureParents(root, src.getParent(), e.getName());
            if (!Files.exists(src, LinkOption.NOFOLLOW_LINKS)) throw reject(e.getName(), "hard link target \"" + e.getLinkName() + "\" is not in this layer");
            Files.createLink(target, src);
            return; // a hard link shares the target's metadata
        } else if (e.isCharacterDevice() || e.isBlockDevice() || e.isFIFO()) {
            int type = e.isCharacterDevice() ? Native.S_IFCHR : e.isBlockDevice() ? Native.S_IFBLK : Native.S_IFIFO;
            Native.mknod(target, type | (e.getMode() & 07777), Native.makedev(e.getDevMajor(), e.getDevMinor()));
        } else if (e.isFile()) {
            try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                tar.transferTo(out);
            }
        } else {
            return; // global/extended headers are consumed by commons-compress; anything else carries no file
        }
        applyMetadata(target, e, dirTimes);
    }

    private static void applyMetadata(Path p, TarArchiveEntry e, Deque<Runnable> dirTimes) throws IOException {
        boolean symlink = e.isSymbolicLink();
        Native.lchown(p, (int) e.getLongUserId(), (int) e.getLongGroupId());
        // chmod after chown: chown clears setuid/setgid.
        if (!symlink) Native.chmod(p, e.getMode() & 07777);
        for (Map.Entry<String, String> x : e.getExtraPaxHeaders().entrySet()) {
            if (x.getKey().startsWith("SCHILY.xattr.")) {
                Native.lsetxattr(p, x.getKey().substring("SCHILY.xattr.".length()), x.getValue().getBytes(StandardCharsets.ISO_8859_1));
            }
        }
        FileTime mtime = FileTime.from(e.getLastModifiedTime().toInstant());
        Runnable setTime = () -> {
            try {
                Files.getFileAttributeView(p, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).setTimes(mtime, mtime, null);
            } catch (IOException ex) {
                throw new java.io.UncheckedIOException(ex);
            }
        };
        if (e.isDirectory()) dirTimes.push(setTime);
        // Not for devices and FIFOs: the JDK opens the node to set its times (/dev/ptmx answers ENOENT, a FIFO
        // blocks); their times are not part of the layer's identity anyway.
        else if (!(e.isCharacterDevice() || e.isBlockDevice() || e.isFIFO())) setTime.run();
    }

    /** Strips leading "./"; refuses absolute names and ".." components (the whole layer then fails). */
    static String cleanName(String raw) {
        String n = raw;
        if (n.startsWith("/")) throw reject(raw, "absolute path");
        while (n.startsWith("./")) n = n.substring(2);
        if (n.equals(".")) n = "";
        while (n.endsWith("/")) n = n.substring(0, n.length() - 1);
        for (String c : n.split("/")) {
            if (c.equals("..")) throw reject(raw, "path contains \"..\"");
        }
        return n;
    }

    /** Creates missing parent directories; refuses to go through a symlink (a write through it would escape). */
    private static void ensureParents(Path root, Path parent, String entry) throws IOException {
        Path cur = root;
        for (Path c : root.relativize(parent)) {
            if (c.toString().isEmpty()) continue;
            cur = cur.resolve(c);
            if (Files.isSymbolicLink(cur)) throw reject(entry, "path goes through the symlink " + root.relativize(cur));
            if (!Files.exists(cur, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectory(cur);
            } else if (!Files.isDirectory(cur, LinkOption.NOFOLLOW_LINKS)) {
                throw reject(entry, root.relativize(cur) + " is not a directory");
            }
        }
    }

    private static void removeExisting(Path root, Path p) throws IOException {
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) return;
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) Trees.deleteUnder(root, p);
        else Files.delete(p);
    }

    private static ImageException reject(String entry, String why) {
        return new ImageException(ImageException.Kind.INVALID, "layer entry \"" + entry + "\": " + why + "; the layer was rejected");
    }

    private static final class CountingInputStream extends java.io.FilterInputStream {
        long count;

        CountingInputStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) count++;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) count += n;
            return n;
        }
    }
}
