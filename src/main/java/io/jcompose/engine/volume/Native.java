package io.jcompose.engine.volume;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Platform;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;

/**
 * The few libc calls the JDK lacks: mount/umount2 (local-driver volumes with options), the l*xattr family
 * (the JDK's attribute view only handles {@code user.*}, copy-up must keep {@code security.capability} too) and
 * mknod (device nodes and fifos in copy-up). Loaded on first use: the engine pays jnr's start-up once.
 */
final class Native {
    static final long MS_RDONLY = 1;
    static final long MS_NOSUID = 2;
    static final long MS_NODEV = 4;
    static final long MS_NOEXEC = 8;
    static final long MS_SYNCHRONOUS = 16;
    static final long MS_REMOUNT = 32;
    static final long MS_MANDLOCK = 64;
    static final long MS_DIRSYNC = 128;
    static final long MS_NOATIME = 1024;
    static final long MS_NODIRATIME = 2048;
    static final long MS_BIND = 4096;
    static final long MS_REC = 16384;
    static final long MS_PRIVATE = 1 << 18;
    static final long MS_SLAVE = 1 << 19;
    static final long MS_SHARED = 1 << 20;
    static final long MS_RELATIME = 1 << 21;
    static final long MS_STRICTATIME = 1 << 24;
    static final int MNT_DETACH = 2;

    public interface LibC {
        int mount(String source, String target, String fstype, long flags, String data);

        int umount2(String target, int flags);

        long llistxattr(String path, @Out byte[] list, long size);

        long lgetxattr(String path, String name, @Out byte[] value, long size);

        int lsetxattr(String path, String name, @In byte[] value, long size, int flags);

        int mknod(String path, int mode, long dev);

        int chmod(String path, int mode);

        int utimensat(int dirfd, String path, @In long[] times, int flags);

        String strerror(int errnum);
    }

    private static volatile LibC libc;

    private Native() {}

    static LibC libc() {
        LibC l = libc;
        if (l == null) {
            synchronized (Native.class) {
                if (libc == null) libc = LibraryLoader.create(LibC.class).load(Platform.getNativePlatform().getStandardCLibraryName());
                l = libc;
            }
        }
        return l;
    }

    private static String error(String what) {
        int errno = Runtime.getSystemRuntime().getLastError();
        return what + ": " + libc().strerror(errno);
    }

    static void mount(String source, String target, String fstype, long flags, String data) throws IOException {
        if (libc().mount(source, target, fstype, flags, data == null || data.isEmpty() ? null : data) != 0) {
            throw new IOException(error("mount " + source + " on " + target + " (type " + fstype + ")"));
        }
    }

    static void umount(String target) throws IOException {
        if (libc().umount2(target, MNT_DETACH) != 0) throw new IOException(error("umount " + target));
    }

    /** The extended attribute names of {@code path} (not following a symlink); empty if the file system has none. */
    static List<String> listXattrs(String path) {
        long n = libc().llistxattr(path, null, 0);
        if (n <= 0) return List.of();
        byte[] buf = new byte[(int) n];
        n = libc().llistxattr(path, buf, buf.length);
        if (n <= 0) return List.of();
        List<String> names = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < n; i++) {
            if (buf[i] == 0) {
                if (i > start) names.add(new String(buf, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        return names;
    }

    static byte[] getXattr(String path, String name) {
        long n = libc().lgetxattr(path, name, null, 0);
        if (n < 0) return null;
        byte[] buf = new byte[(int) n];
        if (n == 0) return buf;
        n = libc().lgetxattr(path, name, buf, buf.length);
        return n < 0 ? null : java.util.Arrays.copyOf(buf, (int) n);
    }

    static boolean setXattr(String path, String name, byte[] value) {
        return libc().lsetxattr(path, name, value, value.length, 0) == 0;
    }

    /** chmod with the full 12 bits (setuid, setgid, sticky), which the JDK's PosixFilePermission cannot express. */
    static void chmod(String path, int mode) throws IOException {
        if (libc().chmod(path, mode & 07777) != 0) throw new IOException(error("chmod " + path));
    }

    /**
     * Sets access and modification times without opening the file and without following a final symlink
     * (the JDK opens the file, which blocks forever on a fifo).
     */
    static void utimes(String path, long atimeNanos, long mtimeNanos) throws IOException {
        long[] ts = {atimeNanos / 1_000_000_000L, atimeNanos % 1_000_000_000L, mtimeNanos / 1_000_000_000L, mtimeNanos % 1_000_000_000L};
        if (libc().utimensat(-100 /* AT_FDCWD */, path, ts, 0x100 /* AT_SYMLINK_NOFOLLOW */) != 0) {
            throw new IOException(error("utimensat " + path));
        }
    }

    static void mknod(String path, int mode, long dev) throws IOException {
        if (libc().mknod(path, mode, dev) != 0) throw new IOException(error("mknod " + path));
    }
}
