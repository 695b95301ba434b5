package io.jcompose.engine.container;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** The cgroup v1 hierarchies (this host is hybrid) as the engine reads them: OOM kills and empty parents. */
final class Cgroups {
    static final Path ROOT = Path.of("/sys/fs/cgroup");

    private Cgroups() {}

    /** Whether the memory cgroup {@code path} saw an OOM kill (read before runc deletes it). */
    static boolean oomKilled(String path) {
        Path f = ROOT.resolve("memory").resolve(path.substring(1)).resolve("memory.oom_control");
        try {
            for (String line : Files.readAllLines(f)) {
                if (line.startsWith("oom_kill ")) return Long.parseLong(line.substring(9).trim()) > 0;
            }
        } catch (IOException | RuntimeException e) {
            // no memory cgroup: no OOM information
        }
        return false;
    }

    /** Removes the engine's parent cgroup of {@code path} in every hierarchy once no container is left in it. */
    static void removeParentIfEmpty(String path) {
        String parent = Path.of(path).getParent().toString().substring(1);
        if (parent.isEmpty() || !parent.startsWith("jcompose-")) return;
        try (Stream<Path> hs = Files.list(ROOT)) {
            hs.forEach(h -> {
                Path d = h.resolve(parent);
                try {
                    // rmdir of a cgroup with children fails: that is the "still in use" answer.
                    if (Files.isDirectory(d)) Files.delete(d);
                } catch (IOException ignored) {
                    // busy: another container still uses it
                }
            });
        } catch (IOException ignored) {
            // no cgroup fs
        }
    }
}
