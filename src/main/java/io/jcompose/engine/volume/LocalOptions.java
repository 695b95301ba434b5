package io.jcompose.engine.volume;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The local driver's options, as Docker's: {@code type} (a file system type, "none" for a bind), {@code device}
 * and {@code o} (mount(8) options). Examples: {@code type=none,device=/srv/data,o=bind} bind-mounts a host
 * directory as the volume; {@code type=tmpfs,device=tmpfs,o=size=100m,uid=1000} makes a tmpfs volume. The mount
 * happens while a container uses the volume (first reference) and is undone with the last one, as Docker does.
 */
final class LocalOptions {
    private static final Set<String> VALID = Set.of("type", "device", "o", "size");
    /** Docker's mandatoryOpts: an option that needs others, in the order Docker reports them. */
    private static final Map<String, List<String>> REQUIRES = Map.of("device", List.of("type"), "type", List.of("device"),
            "o", List.of("device", "type"));

    private LocalOptions() {}

    /** Docker's checks and texts: {@code invalid option: "foo"}, {@code missing required option: "device"}. */
    static void validate(Map<String, String> opts) {
        for (String k : new java.util.TreeSet<>(opts.keySet())) {
            if (!VALID.contains(k)) throw VolumeException.invalid("invalid option: \"" + k + "\"");
        }
        if (opts.containsKey("size")) {
            throw VolumeException.invalid("quota size requested but no quota support");
        }
        for (String k : List.of("o", "device", "type")) {
            if (!opts.containsKey(k)) continue;
            for (String r : REQUIRES.get(k)) {
                if (!opts.containsKey(r)) throw VolumeException.invalid("missing required option: \"" + r + "\"");
            }
        }
    }

    /** Whether the volume needs a mount at all (a plain directory does not). */
    static boolean needsMount(Map<String, String> opts) {
        return opts.containsKey("type") || opts.containsKey("device");
    }

    /** mount(8)-style flags and data split from an {@code o} string. */
    record Parsed(long flags, String data, boolean bind) {}

    static Parsed parse(String o) {
        long flags = 0;
        boolean bind = false;
        List<String> data = new ArrayList<>();
        if (o != null && !o.isEmpty()) {
            for (String opt : o.split(",")) {
                switch (opt) {
                    case "defaults", "rw", "suid", "dev", "exec", "async", "atime", "diratime", "" -> { }
                    case "ro" -> flags |= Native.MS_RDONLY;
                    case "nosuid" -> flags |= Native.MS_NOSUID;
                    case "nodev" -> flags |= Native.MS_NODEV;
                    case "noexec" -> flags |= Native.MS_NOEXEC;
                    case "sync" -> flags |= Native.MS_SYNCHRONOUS;
                    case "dirsync" -> flags |= Native.MS_DIRSYNC;
                    case "noatime" -> flags |= Native.MS_NOATIME;
                    case "nodiratime" -> flags |= Native.MS_NODIRATIME;
                    case "relatime" -> flags |= Native.MS_RELATIME;
                    case "strictatime" -> flags |= Native.MS_STRICTATIME;
                    case "bind" -> { flags |= Native.MS_BIND; bind = true; }
                    case "rbind" -> { flags |= Native.MS_BIND | Native.MS_REC; bind = true; }
                    default -> data.add(opt);
                }
            }
        }
        return new Parsed(flags, String.join(",", data), bind);
    }

    /** Mounts the volume's device on {@code target}; a read-only bind takes a second remount, as mount(8) does. */
    static void mount(Map<String, String> opts, Path target) throws IOException {
        Parsed p = parse(opts.get("o"));
        String type = opts.getOrDefault("type", "none");
        String device = opts.get("device");
        if (p.bind()) {
            Native.mount(device, target.toString(), type, p.flags() & (Native.MS_BIND | Native.MS_REC), null);
            long rest = p.flags() & ~(Native.MS_BIND | Native.MS_REC);
            if (rest != 0) {
                try {
                    Native.mount(device, target.toString(), type, rest | Native.MS_BIND | Native.MS_REMOUNT, null);
                } catch (IOException e) {
                    Native.umount(target.toString());
                    throw e;
                }
            }
        } else {
            Native.mount(device, target.toString(), type, p.flags(), p.data());
        }
    }
}
