package io.jcompose.engine.snapshot;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import jnr.ffi.LibraryLoader;
import jnr.ffi.annotations.SaveError;

/**
 * Performs {@link Mount}s. mount(2) through jnr-ffi is the normal path (≈3 ms, no process); when the overlay data
 * string exceeds one page (the kernel truncates mount data at 4096 bytes — images with ~100+ layers and a long
 * state root), the lower dirs are passed relative to their common parent and {@code /bin/mount} runs with that
 * parent as its working directory, because a JVM cannot safely chdir. Every mount is checked in
 * {@code /proc/self/mountinfo} before returning: runc would happily use an empty directory.
 */
public final class Mounter {
    private static final int PAGE = 4096;
    private static final int MNT_DETACH = 2;

    public interface LibC {
        @SaveError int mount(String source, String target, String fstype, long flags, String data);
        @SaveError int umount2(String target, int flags);
        String strerror(int errnum);
    }

    private static final class Holder {
        static final LibC LIBC = LibraryLoader.create(LibC.class).load("c");
        static final jnr.ffi.Runtime RUNTIME = jnr.ffi.Runtime.getRuntime(LIBC);
    }

    private Mounter() {}

    public static void mount(Mount m, Path target) {
        Path t = target.toAbsolutePath().normalize();
        if (!Files.isDirectory(t)) throw new SnapshotException(SnapshotException.Kind.INVALID, "mount target " + t + " is not a directory");
        String data = m.data();
        if (data.length() < PAGE) {
            if (Holder.LIBC.mount(m.source(), t.toString(), m.type(), 0, data) != 0) {
                int errno = Holder.RUNTIME.getLastError();
                throw new SnapshotException(SnapshotException.Kind.FAILED, "mount " + m.type() + " on " + t + ": "
                        + Holder.LIBC.strerror(errno) + " (errno " + errno + "); options: " + abbreviate(data));
            }
        } else {
            mountWithRelativeLowers(m, t);
        }
        if (!isMounted(t)) {
            throw new SnapshotException(SnapshotException.Kind.FAILED, "mount of " + m.type() + " on " + t + " reported success but is not in /proc/self/mountinfo");
        }
    }

    private static void mountWithRelativeLowers(Mount m, Path t) {
        String lower = m.option("lowerdir");
        if (lower == null) throw new SnapshotException(SnapshotException.Kind.INVALID, "mount options exceed one page: " + abbreviate(m.data()));
        String[] dirs = lower.split(":");
        Path parent = Path.of(dirs[0]).getParent();
        List<String> rel = new ArrayList<>();
        for (String d : dirs) {
            Path p = Path.of(d);
            if (parent == null || !parent.equals(p.getParent())) {
                throw new SnapshotException(SnapshotException.Kind.INVALID, "overlay lower dirs do not share one parent; cannot shorten the mount options");
            }
            rel.add(p.getFileName().toString());
        }
        List<String> opts = new ArrayList<>();
        for (String o : m.options()) opts.add(o.startsWith("lowerdir=") ? "lowerdir=" + String.join(":", rel) : o);
        String data = String.join(",", opts);
        if (data.length() >= PAGE) {
            throw new SnapshotException(SnapshotException.Kind.INVALID, "overlay with " + dirs.length + " layers does not fit one page of mount options even with short names");
        }
        run(parent, List.of("mount", "-t", m.type(), "-o", data, m.source(), t.toString()));
    }

    /** Unmounts; a busy mount is detached lazily (it disappears when its last user goes). */
    public static void unmount(Path target) {
        Path t = target.toAbsolutePath().normalize();
        if (!isMounted(t)) return;
        if (Holder.LIBC.umount2(t.toString(), 0) != 0) {
            int errno = Holder.RUNTIME.getLastError();
            if (errno == 16 /* EBUSY */ && Holder.LIBC.umount2(t.toString(), MNT_DETACH) == 0) return;
            throw new SnapshotException(SnapshotException.Kind.FAILED, "umount " + t + ": " + Holder.LIBC.strerror(errno) + " (errno " + errno + ")");
        }
    }

    public static boolean isMounted(Path target) {
        String want = target.toAbsolutePath().normalize().toString();
        for (String[] f : mountinfo()) {
            if (f[4].equals(want)) return true;
        }
        return false;
    }

    /** True when some overlay mount uses {@code upper} as its upperdir. */
    static boolean upperInUse(Path upper) {
        String needle = "upperdir=" + upper.toAbsolutePath().normalize();
        for (String[] f : mountinfo()) {
            for (String part : f) {
                if (part.contains(needle + ",") || part.endsWith(needle)) return true;
            }
        }
        return false;
    }

    /** Fields of /proc/self/mountinfo lines, with octal escapes (\040 for space) decoded. */
    static List<String[]> mountinfo() {
        List<String[]> out = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"), StandardCharsets.UTF_8)) {
                String[] f = line.split(" ");
                for (int i = 0; i < f.length; i++) f[i] = unescape(f[i]);
                if (f.length > 4) out.add(f);
            }
        } catch (IOException e) {
            throw new SnapshotException(SnapshotException.Kind.FAILED, "cannot read /proc/self/mountinfo: " + e.getMessage(), e);
        }
        return out;
    }

    private static String unescape(String s) {
        if (s.indexOf('\\') < 0) return s;
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < s.length() && s.substring(i + 1, i + 4).matches("[0-7]{3}")) {
                b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static void run(Path cwd, List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new SnapshotException(SnapshotException.Kind.FAILED, String.join(" ", cmd.subList(0, 3)) + " timed out");
            }
            if (p.exitValue() != 0) throw new SnapshotException(SnapshotException.Kind.FAILED, "mount failed (exit " + p.exitValue() + "): " + out);
        } catch (IOException e) {
            throw new SnapshotException(SnapshotException.Kind.FAILED, "cannot run mount: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SnapshotException(SnapshotException.Kind.FAILED, "interrupted while mounting", e);
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "… (" + s.length() + " bytes)";
    }
}
