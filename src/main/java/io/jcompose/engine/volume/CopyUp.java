package io.jcompose.engine.volume;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Docker's "copy image content into an empty volume": copies a directory tree keeping what a tar round trip
 * keeps — modes with setuid/setgid/sticky, owners, modification and access times, symlinks (not followed), hard
 * links (as links), device nodes and fifos, extended attributes (all namespaces root may set; ones the target
 * file system refuses are skipped). Sockets are skipped, as tar does. The top directory's owner and mode are
 * copied to the target too (Docker's copyOwnership), so a volume mounted at an image's {@code /var/lib/db} owned
 * by uid 999 is writable by 999.
 */
final class CopyUp {
    private static final Logger LOG = Logger.getLogger(CopyUp.class.getName());
    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;
    private static final int S_IFCHR = 0020000;
    private static final int S_IFBLK = 0060000;
    private static final int S_IFIFO = 0010000;

    private CopyUp() {}

    /** Copies the contents of directory {@code src} into the existing directory {@code dst}. */
    static void copy(Path src, Path dst) throws IOException {
        Map<Object, Path> linked = new HashMap<>();
        Files.walkFileTree(src, new SimpleFileVisitor<>() {
            @Override public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes a) throws IOException {
                Path t = dst.resolve(src.relativize(d).toString());
                if (!d.equals(src)) Files.createDirectory(t);
                return FileVisitResult.CONTINUE;
            }

            @Override public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
                Path t = dst.resolve(src.relativize(f).toString());
                int mode = (Integer) Files.getAttribute(f, "unix:mode", LinkOption.NOFOLLOW_LINKS);
                int nlink = (Integer) Files.getAttribute(f, "unix:nlink", LinkOption.NOFOLLOW_LINKS);
                if (!a.isDirectory() && !a.isSymbolicLink() && nlink > 1) {
                    Path first = linked.get(a.fileKey());
                    if (first != null) {
                        Files.createLink(t, first);
                        return FileVisitResult.CONTINUE;
                    }
                    linked.put(a.fileKey(), t);
                }
                if (a.isSymbolicLink()) {
                    Files.createSymbolicLink(t, Files.readSymbolicLink(f));
                } else if (a.isRegularFile()) {
                    Files.copy(f, t, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
                } else {
                    int fmt = mode & S_IFMT;
                    if (fmt == S_IFSOCK) return FileVisitResult.CONTINUE;
                    if (fmt != S_IFCHR && fmt != S_IFBLK && fmt != S_IFIFO) return FileVisitResult.CONTINUE;
                    long rdev = ((Number) Files.getAttribute(f, "unix:rdev", LinkOption.NOFOLLOW_LINKS)).longValue();
                    Native.mknod(t.toString(), mode, rdev);
                }
                attributes(f, t, a);
                return FileVisitResult.CONTINUE;
            }

            @Override public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                if (e != null) throw e;
                // Last: writing the children changed the directory's times.
                attributes(d, dst.resolve(src.relativize(d).toString()), Files.readAttributes(d, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS));
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** Owner, then mode (chown clears setuid), xattrs, then times, of {@code from} onto {@code to}; never follows a symlink. */
    static void attributes(Path from, Path to, BasicFileAttributes a) throws IOException {
        boolean link = a.isSymbolicLink();
        Files.setAttribute(to, "unix:uid", Files.getAttribute(from, "unix:uid", LinkOption.NOFOLLOW_LINKS), LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(to, "unix:gid", Files.getAttribute(from, "unix:gid", LinkOption.NOFOLLOW_LINKS), LinkOption.NOFOLLOW_LINKS);
        if (!link) Native.chmod(to.toString(), (Integer) Files.getAttribute(from, "unix:mode", LinkOption.NOFOLLOW_LINKS));
        xattrs(from, to);
        Native.utimes(to.toString(), nanos(a.lastAccessTime()), nanos(a.lastModifiedTime()));
    }

    private static long nanos(java.nio.file.attribute.FileTime t) {
        java.time.Instant i = t.toInstant();
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }

    private static void xattrs(Path from, Path to) {
        List<String> names = Native.listXattrs(from.toString());
        for (String n : names) {
            byte[] v = Native.getXattr(from.toString(), n);
            if (v != null && !Native.setXattr(to.toString(), n, v)) {
                LOG.fine(() -> "copy-up: xattr " + n + " of " + from + " not supported on the volume's file system; skipped");
            }
        }
    }

    /** Docker's copyOwnership: the volume's top directory takes the image directory's owner and mode. */
    static void topDirectory(Path src, Path dst) throws IOException {
        Files.setAttribute(dst, "unix:uid", Files.getAttribute(src, "unix:uid", LinkOption.NOFOLLOW_LINKS), LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(dst, "unix:gid", Files.getAttribute(src, "unix:gid", LinkOption.NOFOLLOW_LINKS), LinkOption.NOFOLLOW_LINKS);
        Native.chmod(dst.toString(), (Integer) Files.getAttribute(src, "unix:mode", LinkOption.NOFOLLOW_LINKS));
    }

    /** Whether {@code dir} has no entries. */
    static boolean isEmpty(Path dir) throws IOException {
        try (var s = Files.newDirectoryStream(dir)) {
            return !s.iterator().hasNext();
        }
    }
}
