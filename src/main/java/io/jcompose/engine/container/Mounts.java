package io.jcompose.engine.container;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Mount table look-ups. */
final class Mounts {
    private Mounts() {}

    /** Every mount point (unescaped). */
    static java.util.Set<String> all() throws IOException {
        java.util.Set<String> out = new java.util.HashSet<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String[] f = line.split(" ", 6);
            if (f.length > 4) out.add(f[4].replace("\\040", " "));
        }
        return out;
    }

    static boolean isMountPoint(Path p) throws IOException {
        String target = " " + p.toAbsolutePath().normalize().toString().replace(" ", "\\040") + " ";
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String[] f = line.split(" ", 6);
            if (f.length > 4 && (" " + f[4] + " ").equals(target)) return true;
        }
        return false;
    }
}
