package io.jcompose.engine.volume;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** tmpfs option text as Docker builds it: TmpfsOptions → "size=64m,mode=1777", and the merge of defaults with user options. */
final class TmpfsData {
    /** Flags that cancel each other share a key: the last one given wins, as in Docker's MergeTmpfsOptions. */
    private static final Map<String, String> FLAG_KEY = Map.ofEntries(
            Map.entry("ro", "rw"), Map.entry("rw", "rw"), Map.entry("exec", "exec"), Map.entry("noexec", "exec"),
            Map.entry("suid", "suid"), Map.entry("nosuid", "suid"), Map.entry("dev", "dev"), Map.entry("nodev", "dev"),
            Map.entry("atime", "atime"), Map.entry("noatime", "atime"), Map.entry("diratime", "diratime"),
            Map.entry("nodiratime", "diratime"), Map.entry("relatime", "relatime"), Map.entry("norelatime", "relatime"),
            Map.entry("strictatime", "strictatime"), Map.entry("nostrictatime", "strictatime"),
            Map.entry("sync", "sync"), Map.entry("async", "sync"), Map.entry("dirsync", "dirsync"),
            Map.entry("private", "propagation"), Map.entry("rprivate", "propagation"), Map.entry("shared", "propagation"),
            Map.entry("rshared", "propagation"), Map.entry("slave", "propagation"), Map.entry("rslave", "propagation"));

    private TmpfsData() {}

    /** Docker's ConvertTmpfsOptions: {@code size} with the largest unit dividing it exactly, {@code mode} in octal. */
    static String of(MountSpec.TmpfsOptions o) {
        if (o == null) return "";
        StringBuilder sb = new StringBuilder();
        if (o.mode() != 0) sb.append("mode=").append(Integer.toOctalString(o.mode()));
        if (o.sizeBytes() != 0) {
            long size = o.sizeBytes();
            String suffix = "";
            for (Object[] u : new Object[][] {{"g", 1L << 30}, {"m", 1L << 20}, {"k", 1L << 10}}) {
                long div = (Long) u[1];
                if (size % div == 0) {
                    size /= div;
                    suffix = (String) u[0];
                    break;
                }
            }
            if (sb.length() > 0) sb.append(',');
            sb.append("size=").append(size).append(suffix);
        }
        return sb.toString();
    }

    /** Keeps the last of each flag pair and each {@code key=} option, in their original relative order. */
    static List<String> merge(List<String> options) {
        Deque<String> out = new ArrayDeque<>();
        Set<String> seen = new HashSet<>();
        for (int i = options.size() - 1; i >= 0; i--) {
            String o = options.get(i).trim();
            if (o.isEmpty() || o.equals("defaults")) continue;
            int eq = o.indexOf('=');
            String key = eq >= 0 ? "data:" + o.substring(0, eq) : FLAG_KEY.getOrDefault(o, o);
            if (seen.add(key)) out.addFirst(o);
        }
        return List.copyOf(out);
    }
}
