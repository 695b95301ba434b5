package io.jcompose.engine.build;

import jnr.ffi.LibraryLoader;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns an overlayfs upper directory (what a RUN step changed) into the layer form of the OCI image spec, in
 * place: a whiteout (character device 0/0 {@code dir/x}) becomes an empty file {@code dir/.wh.x}; an opaque
 * directory ({@code trusted.overlay.opaque=y}, or {@code user.overlay.opaque=y} for userxattr mounts) gets an
 * empty {@code dir/.wh..wh..opq}. The directory can then be written by LayerWriter keeping owners.
 */
final class UpperDirDiff {
    private UpperDirDiff() {}

    /** libc's lgetxattr: the JDK's xattr view reads only the user.* namespace. */
    public interface LibC {
        long lgetxattr(String path, String name, byte[] value, long size);

        int lsetxattr(String path, String name, byte[] value, long size, int flags);
    }

    /**
     * Marks {@code dir} opaque as overlayfs does ({@code trusted.overlay.opaque=y}); for executors that build an
     * upper directory by hand and for tests. Needs CAP_SYS_ADMIN (trusted.* namespace).
     */
    static void markOpaque(Path dir) throws IOException {
        byte[] y = {'y'};
        if (libc().lsetxattr(dir.toString(), "trusted.overlay.opaque", y, 1, 0) != 0)
            throw new IOException("cannot set trusted.overlay.opaque on " + dir + " (needs root)");
    }

    private static volatile LibC libc;

    private static LibC libc() {
        if (libc == null) libc = LibraryLoader.create(LibC.class).load("c");
        return libc;
    }

    /** Converts {@code upper} in place; returns how many whiteouts and opaque markers were written. */
    static int convert(Path upper) throws IOException {
        return walk(upper);
    }

    private static int walk(Path dir) throws IOException {
        int n = 0;
        List<Path> kids = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            s.forEach(kids::add);
        }
        for (Path k : kids) {
            Map<String, Object> a = Files.readAttributes(k, "unix:mode,rdev", LinkOption.NOFOLLOW_LINKS);
            int type = (Integer) a.get("mode") & 0170000;
            if (type == 0020000 && (Long) a.get("rdev") == 0L) {
                Files.delete(k);
                Files.createFile(k.resolveSibling(".wh." + k.getFileName()));
                n++;
            } else if (type == 0040000) {
                if (opaque(k)) {
                    Files.createFile(k.resolve(".wh..wh..opq"));
                    n++;
                }
                n += walk(k);
            }
        }
        return n;
    }

    static boolean opaque(Path dir) {
        for (String name : List.of("trusted.overlay.opaque", "user.overlay.opaque")) {
            byte[] buf = new byte[8];
            long r = libc().lgetxattr(dir.toString(), name, buf, buf.length);
            if (r == 1 && buf[0] == 'y') return true;
        }
        return false;
    }
}
