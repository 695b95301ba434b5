package io.jcompose.engine.container;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Facts about the host the container config depends on. */
final class HostFiles {
    private HostFiles() {}

    static String hostName() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
        } catch (IOException e) {
            return "localhost";
        }
    }

    /** The engine's own NOFILE hard limit: the most it may grant a container. */
    static long nofileLimit() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max open files")) {
                    String[] f = line.substring("Max open files".length()).trim().split("\\s+");
                    return f[1].equals("unlimited") ? 1048576 : Long.parseLong(f[1]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through
        }
        return 1048576;
    }
}
