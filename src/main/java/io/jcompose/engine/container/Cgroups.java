package io.jcompose.engine.container;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** The cgroup v1 hierarchies (this host is hybrid) as the engine reads them: OOM kills and empty parents. */
public final class Cgroups {
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

    /** One sample of a container's cgroup counters (Docker's stats, cgroup v1 names). */
    public record Sample(long cpuTotalNanos, java.util.List<Long> perCpuNanos, long systemNanos, int onlineCpus,
                         long memoryUsage, long memoryLimit, long memoryCache, long pids) {}

    static Sample sample(String path) {
        String rel = path.substring(1);
        long cpu = readLong(ROOT.resolve("cpuacct").resolve(rel).resolve("cpuacct.usage"));
        java.util.List<Long> per = new java.util.ArrayList<>();
        try {
            for (String v : Files.readString(ROOT.resolve("cpuacct").resolve(rel).resolve("cpuacct.usage_percpu")).trim().split("\\s+")) {
                if (!v.isEmpty()) per.add(Long.parseLong(v));
            }
        } catch (IOException | RuntimeException e) {
            // no per-cpu counters
        }
        long system = 0;
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long jiffies = 0;
            for (int i = 1; i < Math.min(f.length, 8); i++) jiffies += Long.parseLong(f[i]);
            system = jiffies * 10_000_000L; // USER_HZ 100 → nanoseconds
        } catch (IOException | RuntimeException e) {
            // leave 0
        }
        long cache = 0;
        try {
            for (String line : Files.readAllLines(ROOT.resolve("memory").resolve(rel).resolve("memory.stat"))) {
                if (line.startsWith("total_inactive_file ")) cache = Long.parseLong(line.substring(20).trim());
            }
        } catch (IOException | RuntimeException e) {
            // no memory.stat
        }
        return new Sample(cpu, per, system, Runtime.getRuntime().availableProcessors(),
                readLong(ROOT.resolve("memory").resolve(rel).resolve("memory.usage_in_bytes")),
                readLong(ROOT.resolve("memory").resolve(rel).resolve("memory.limit_in_bytes")), cache,
                readLong(ROOT.resolve("pids").resolve(rel).resolve("pids.current")));
    }

    private static long readLong(Path f) {
        try {
            return Long.parseLong(Files.readString(f).trim());
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
