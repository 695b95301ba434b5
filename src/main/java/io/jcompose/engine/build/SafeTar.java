package io.jcompose.engine.build;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Unpacks a tar (plain, gzip or bzip2) under a root directory without ever writing outside it: names with
 * {@code ..} or that are absolute are refused, no parent may be a symlink, hard links must point inside, and
 * device nodes are skipped. Used for the build context and for ADD of a local archive.
 */
final class SafeTar {
    private SafeTar() {}

    enum Compression { NONE, GZIP, BZIP2, XZ, ZSTD }

    /** Detects the compression from the first bytes ({@code in} must support mark/reset). */
    static Compression detect(InputStream in) throws IOException {
        in.mark(8);
        byte[] b = in.readNBytes(6);
        in.reset();
        if (b.length >= 2 && (b[0] & 0xff) == 0x1f && (b[1] & 0xff) == 0x8b) return Compression.GZIP;
        if (b.length >= 3 && b[0] == 'B' && b[1] == 'Z' && b[2] == 'h') return Compression.BZIP2;
        if (b.length >= 6 && (b[0] & 0xff) == 0xfd && b[1] == '7' && b[2] == 'z' && b[3] == 'X' && b[4] == 'Z') return Compression.XZ;
        if (b.length >= 4 && (b[0] & 0xff) == 0x28 && (b[1] & 0xff) == 0xb5 && (b[2] & 0xff) == 0x2f && (b[3] & 0xff) == 0xfd) return Compression.ZSTD;
        return Compression.NONE;
    }

    /** The (decompressed) stream of {@code raw}; xz/zstd are refused with a clear message. */
    static InputStream decompressed(InputStream raw, String what) throws IOException, BuildException {
        InputStream in = raw.markSupported() ? raw : new BufferedInputStream(raw, 64 * 1024);
        return switch (detect(in)) {
            case NONE -> in;
            case GZIP -> new GzipCompressorInputStream(in, true);
            case BZIP2 -> new BZip2CompressorInputStream(in, true);
            case XZ, ZSTD -> throw new BuildException(what + " is xz/zstd-compressed, which the jcompose builder "
                    + "cannot read; use an uncompressed, gzip or bzip2 tar");
        };
    }

    /** Whether {@code file} looks like a tar archive (possibly compressed): what ADD extracts. */
    static boolean isArchive(Path file) throws IOException {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file))) {
            Compression c = detect(raw);
            if (c == Compression.XZ || c == Compression.ZSTD) return true;
            InputStream in = c == Compression.GZIP ? new GzipCompressorInputStream(raw)
                    : c == Compression.BZIP2 ? new BZip2CompressorInputStream(raw) : raw;
            byte[] header = in.readNBytes(512);
            if (header.length < 512) return false;
            String magic = new String(header, 257, 5, java.nio.charset.StandardCharsets.US_ASCII);
            return magic.equals("ustar");
        } catch (IOException e) {
            return false; // a corrupt compressed file is not an archive: ADD copies it as it is
        }
    }

    /**
     * Extracts {@code tarStream} under {@code root}; returns the number of entries.
     *
     * @param keepOwners true: uid/gid from the tar (ADD of an archive); false: root (the context)
     */
    static int extract(InputStream tarStream, Path root, boolean keepOwners, String what) throws IOException, BuildException {
        return extract(tarStream, root, keepOwners, false, what);
    }

    /**
     * Applies an image layer on top of {@code root}: like {@link #extract} keeping owners, and whiteouts
     * ({@code .wh.x} deletes x, {@code .wh..wh..opq} empties the directory of what lower layers put there).
     */
    static int applyLayer(InputStream tarStream, Path root, String what) throws IOException, BuildException {
        return extract(tarStream, root, true, true, what);
    }

    private static int extract(InputStream tarStream, Path root, boolean keepOwners, boolean layer, String what)
            throws IOException, BuildException {
        Path base = root.toRealPath();
        Set<Path> thisLayer = new HashSet<>();
        int count = 0;
        TarArchiveInputStream tar = new TarArchiveInputStream(decompressed(tarStream, what), "UTF-8");
        Set<Path> dirsSeen = new HashSet<>();
        TarArchiveEntry e;
        while ((e = nextLenient(tar)) != null) {
            String name = e.getName();
            Optional<String> rel = safeName(name);
            if (rel.isEmpty()) throw new BuildException(what + ": refusing entry \"" + name + "\": it would land outside the target directory");
            if (rel.get().isEmpty()) continue; // "./" itself
            Path target = base.resolve(rel.get());
            ensureParents(base, target.getParent(), dirsSeen);
            count++;
            String file = target.getFileName().toString();
            if (layer && file.startsWith(".wh.")) {
                if (file.equals(".wh..wh..opq")) {
                    try (var kids = Files.list(target.getParent())) {
                        for (Path k : kids.toList()) if (!thisLayer.contains(k)) deleteTree(k);
                    }
                } else {
                    deleteTree(target.resolveSibling(file.substring(4)));
                }
                continue;
            }
            thisLayer.add(target);
            if (e.isDirectory()) {
                if (Files.isSymbolicLink(target)) Files.delete(target);
                if (!Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
                    Files.deleteIfExists(target);
                    Files.createDirectory(target);
                }
            } else if (e.isSymbolicLink()) {
                deleteNonDir(target);
                Files.createSymbolicLink(target, Path.of(e.getLinkName()));
            } else if (e.isLink()) {
                Optional<String> linkRel = safeName(e.getLinkName());
                if (linkRel.isEmpty() || linkRel.get().isEmpty())
                    throw new BuildException(what + ": refusing hard link \"" + name + "\" -> \"" + e.getLinkName() + "\" outside the target directory");
                Path src = base.resolve(linkRel.get());
                if (!Files.isRegularFile(src, LinkOption.NOFOLLOW_LINKS))
                    throw new BuildException(what + ": hard link \"" + name + "\" points to \"" + e.getLinkName() + "\", which is not a file earlier in the archive");
                deleteNonDir(target);
                Files.createLink(target, src);
                continue;
            } else if (e.isFile()) {
                deleteNonDir(target);
                Files.copy(tar, target, StandardCopyOption.REPLACE_EXISTING);
            } else {
                continue; // devices and fifos have no place in a build context
            }
            if (!e.isSymbolicLink()) setMode(target, e.getMode() & 07777);
            if (keepOwners) {
                Files.setAttribute(target, "unix:uid", (int) e.getLongUserId(), LinkOption.NOFOLLOW_LINKS);
                Files.setAttribute(target, "unix:gid", (int) e.getLongGroupId(), LinkOption.NOFOLLOW_LINKS);
            }
        }
        return count;
    }

    private static TarArchiveEntry nextLenient(TarArchiveInputStream tar) throws IOException {
        try {
            return tar.getNextEntry();
        } catch (IOException e) {
            // Some writers omit the end-of-archive blocks; a truncated trailer is the end, not an error.
            if (String.valueOf(e.getMessage()).contains("EOF") || String.valueOf(e.getMessage()).contains("truncated")) return null;
            throw e;
        }
    }

    /** The cleaned relative name, or empty Optional if absolute or escaping with "..". "" for the root itself. */
    static Optional<String> safeName(String name) {
        String n = name;
        while (n.startsWith("./")) n = n.substring(2);
        if (n.startsWith("/")) return Optional.empty();
        StringBuilder out = new StringBuilder();
        for (String part : n.split("/")) {
            if (part.isEmpty() || part.equals(".")) continue;
            if (part.equals("..")) return Optional.empty();
            if (out.length() > 0) out.append('/');
            out.append(part);
        }
        return Optional.of(out.toString());
    }

    /** Creates missing parents as real directories; a symlink on the way is refused (it could point outside). */
    private static void ensureParents(Path base, Path dir, Set<Path> seen) throws IOException, BuildException {
        if (dir == null || dir.equals(base) || seen.contains(dir)) return;
        ensureParents(base, dir.getParent(), seen);
        if (Files.isSymbolicLink(dir))
            throw new BuildException("archive entry under \"" + base.relativize(dir) + "\", which is a symlink: refusing to follow it");
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) Files.createDirectory(dir);
        seen.add(dir);
    }

    /** Deletes {@code p} and what is under it, never following symlinks. */
    static void deleteTree(Path p) throws IOException {
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            try (var kids = Files.list(p)) {
                for (Path k : kids.toList()) deleteTree(k);
            }
        }
        Files.deleteIfExists(p);
    }

    private static void deleteNonDir(Path p) throws IOException {
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) throw new FileAlreadyExistsException(p + " is a directory");
        Files.deleteIfExists(p);
    }

    static void setMode(Path p, int mode) throws IOException {
        Files.setAttribute(p, "unix:mode", mode, LinkOption.NOFOLLOW_LINKS);
    }
}
