package io.jcompose.engine.image;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import jnr.ffi.LibraryLoader;
import jnr.ffi.annotations.SaveError;

/**
 * The few system calls layer unpacking needs that NIO lacks: mknodat (a raw syscall: jnr-posix has no mknod and
 * glibc's wrapper was not exported before 2.33), lsetxattr (the JDK only writes {@code user.*} xattrs), chmod with
 * setuid/setgid/sticky bits, and lchown. Loaded on first use: jnr costs ≈250 ms, paid only by the engine.
 */
final class Native {
    private Native() {}

    static final int S_IFIFO = 0010000;
    static final int S_IFCHR = 0020000;
    static final int S_IFBLK = 0060000;
    private static final int AT_FDCWD = -100;

    public interface LibC {
        @SaveError long syscall(long number, int dirfd, String path, int mode, long dev);
        @SaveError int lsetxattr(String path, String name, byte[] value, long size, int flags);
        @SaveError int lgetxattr(String path, String name, byte[] value, long size);
        @SaveError int chmod(String path, int mode);
        @SaveError int lchown(String path, int uid, int gid);
        String strerror(int errnum);
    }

    private static final class Holder {
        static final LibC LIBC = LibraryLoader.create(LibC.class).load("c");
        static final jnr.ffi.Runtime RUNTIME = jnr.ffi.Runtime.getRuntime(LIBC);
    }

    private static long mknodatNumber() {
        return switch (System.getProperty("os.arch")) {
            case "amd64", "x86_64" -> 259;
            case "aarch64", "arm64" -> 33;
            default -> throw new UnsupportedOperationException("mknodat syscall number unknown for " + System.getProperty("os.arch"));
        };
    }

    static long makedev(long major, long minor) {
        return ((major & 0xfffL) << 8) | (minor & 0xffL) | ((minor & ~0xffL) << 12) | ((major & ~0xfffL) << 32);
    }

    static void mknod(Path p, int typeAndMode, long dev) throws IOException {
        long rc = Holder.LIBC.syscall(mknodatNumber(), AT_FDCWD, p.toString(), typeAndMode, dev);
        if (rc != 0) throw error("mknod", p);
    }

    static void lsetxattr(Path p, String name, byte[] value) throws IOException {
        if (Holder.LIBC.lsetxattr(p.toString(), name, value, value.length, 0) != 0) throw error("setxattr " + name, p);
    }

    /** The xattr's value, or null when absent. */
    static byte[] lgetxattr(Path p, String name) {
        byte[] buf = new byte[4096];
        int n = Holder.LIBC.lgetxattr(p.toString(), name, buf, buf.length);
        return n < 0 ? null : java.util.Arrays.copyOf(buf, n);
    }

    static void chmod(Path p, int mode) throws IOException {
        if (Holder.LIBC.chmod(p.toString(), mode) != 0) throw error("chmod", p);
    }

    static void lchown(Path p, int uid, int gid) throws IOException {
        if (Holder.LIBC.lchown(p.toString(), uid, gid) != 0) throw error("lchown", p);
    }

    private static IOException error(String op, Path p) {
        int errno = Holder.RUNTIME.getLastError();
        return new IOException(op + " " + p + ": " + Holder.LIBC.strerror(errno) + " (errno " + errno + ")");
    }

    static String string(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }
}
