package io.jcompose.engine.container;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Files in and out of a container's root filesystem as tar ({@code docker cp}): paths are resolved inside the
 * rootfs as the container sees them (symlinks followed relative to the container's root, never out of it).
 * Gap: files under bind mounts and tmpfs mounts live in the container's mount namespace and are not seen here.
 */
public final class Archives {
    private Archives() {}

    /** Docker's path stat ({@code X-Docker-Container-Path-Stat}); {@code mode} is a Go os.FileMode. */
    public record PathStat(String name, long size, long mode, String mtime, String linkTarget) {}

    /** Resolves {@code containerPath} under {@code rootfs}, following symlinks inside the root (chroot-like). */
    static Path resolve(Path rootfs, String containerPath, boolean followLast) throws IOException {
        Path cur = rootfs;
        String[] parts = containerPath.split("/");
        int hops = 0;
        java.util.Deque<String> todo = new java.util.ArrayDeque<>(java.util.List.of(parts));
        while (!todo.isEmpty()) {
            String p = todo.pollFirst();
            if (p.isEmpty() || p.equals(".")) continue;
            if (p.equals("..")) {
                if (!cur.equals(rootfs)) cur = cur.getParent();
                continue;
            }
            Path next = cur.resolve(p);
            boolean last = todo.stream().allMatch(x -> x.isEmpty() || x.equals("."));
            if (Files.isSymbolicLink(next) && (!last || followLast)) {
                if (++hops > 40) throw new IOException("too many levels of symbolic links: " + containerPath);
                String target = Files.readSymbolicLink(next).toString();
                if (target.startsWith("/")) cur = rootfs;
                String[] tp = target.split("/");
                for (int i = tp.length - 1; i >= 0; i--) todo.addFirst(tp[i]);
                continue;
            }
            cur = next;
        }
        if (!cur.startsWith(rootfs)) throw new IOException("path escapes the container: " + containerPath);
        return cur;
    }

    public static PathStat stat(Path rootfs, String containerPath) throws IOException {
        Path p = resolve(rootfs, containerPath, false);
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) throw new java.nio.file.NoSuchFileException(containerPath);
        PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        long mode = permBits(a.permissions());
        if (a.isDirectory()) mode |= 1L << 31;
        String link = "";
        if (a.isSymbolicLink()) {
            mode |= 1L << 27;
            link = Files.readSymbolicLink(p).toString();
        }
        return new PathStat(p.equals(rootfs) ? "/" : p.getFileName().toString(), a.size(), mode,
                java.time.format.DateTimeFormatter.ISO_INSTANT.format(a.lastModifiedTime().toInstant()), link);
    }

    private static long permBits(Set<PosixFilePermission> perms) {
        long m = 0;
        for (PosixFilePermission p : perms) m |= 1L << (8 - p.ordinal());
        return m;
    }

    /** Writes a tar of {@code containerPath} (its last component as the top entry), as Docker's GET archive. */
    public static void write(Path rootfs, String containerPath, OutputStream out) throws IOException {
        Path p = resolve(rootfs, containerPath, false);
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) throw new java.nio.file.NoSuchFileException(containerPath);
        String top = p.equals(rootfs) ? "." : p.getFileName().toString();
        TarArchiveOutputStream tar = new TarArchiveOutputStream(out);
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        try (Stream<Path> walk = Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? Files.walk(p) : Stream.of(p)) {
            for (Path f : (Iterable<Path>) walk.sorted()::iterator) {
                String name = top + (f.equals(p) ? "" : "/" + p.relativize(f));
                PosixFileAttributes a = Files.readAttributes(f, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                TarArchiveEntry e;
                if (a.isSymbolicLink()) {
                    e = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
                    e.setLinkName(Files.readSymbolicLink(f).toString());
                } else if (a.isDirectory()) {
                    e = new TarArchiveEntry(name + "/");
                } else if (a.isRegularFile()) {
                    e = new TarArchiveEntry(name);
                    e.setSize(a.size());
                } else {
                    continue; // devices, fifos and sockets are not copied
                }
                e.setMode((int) permBits(a.permissions()) | (a.isDirectory() ? 040000 : a.isSymbolicLink() ? 0120000 : 0100000));
                e.setModTime(a.lastModifiedTime());
                Object uid = Files.getAttribute(f, "unix:uid", LinkOption.NOFOLLOW_LINKS);
                Object gid = Files.getAttribute(f, "unix:gid", LinkOption.NOFOLLOW_LINKS);
                e.setUserId((Integer) uid);
                e.setGroupId((Integer) gid);
                tar.putArchiveEntry(e);
                if (a.isRegularFile()) Files.copy(f, tar);
                tar.closeArchiveEntry();
            }
        }
        tar.finish();
        tar.flush();
    }

    /** Extracts {@code tarStream} into the directory {@code containerPath}; entries may not leave it. */
    public static void extract(Path rootfs, String containerPath, InputStream tarStream) throws IOException {
        Path dir = resolve(rootfs, containerPath, true);
        if (!Files.isDirectory(dir)) throw new java.nio.file.NotDirectoryException(containerPath);
        TarArchiveInputStream tar = new TarArchiveInputStream(tarStream);
        TarArchiveEntry e;
        while ((e = tar.getNextEntry()) != null) {
            Path target = dir.resolve(e.getName()).normalize();
            if (!target.startsWith(dir)) throw new IOException("archive entry escapes the destination: " + e.getName());
            // Intermediate symlinks must not lead out of the container either.
            Path parent = resolve(rootfs, "/" + rootfs.relativize(target.getParent()), true);
            target = parent.resolve(target.getFileName());
            if (e.isDirectory()) {
                Files.createDirectories(target);
            } else if (e.isSymbolicLink()) {
                Files.deleteIfExists(target);
                Files.createSymbolicLink(target, Path.of(e.getLinkName()));
            } else if (e.isFile()) {
                Files.createDirectories(target.getParent());
                Files.deleteIfExists(target);
                Files.copy(tar, target);
            } else {
                continue;
            }
            if (!e.isSymbolicLink()) {
                Files.setPosixFilePermissions(target, PosixFilePermissions.fromString(rwx(e.getMode() & 0777)));
                Files.setAttribute(target, "unix:uid", (int) e.getLongUserId(), LinkOption.NOFOLLOW_LINKS);
                Files.setAttribute(target, "unix:gid", (int) e.getLongGroupId(), LinkOption.NOFOLLOW_LINKS);
                Files.setLastModifiedTime(target, e.getLastModifiedTime());
            }
        }
    }

    private static String rwx(int mode) {
        StringBuilder sb = new StringBuilder();
        String l = "rwxrwxrwx";
        for (int i = 0; i < 9; i++) sb.append((mode & (1 << (8 - i))) != 0 ? l.charAt(i) : '-');
        return sb.toString();
    }
}
