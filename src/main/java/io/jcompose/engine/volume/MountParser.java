package io.jcompose.engine.volume;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Docker's Linux mount parser: {@code HostConfig.Binds} strings and {@code HostConfig.Mounts} entries → {@link
 * MountRequest}, with Docker's error texts. Binds: {@code [src:]dst[:mode]} where src is an absolute host path (a
 * bind) or a volume name, and mode is a comma list of at most one each of ro|rw, z|Z, nocopy, a propagation
 * (private, rprivate, shared, rshared, slave, rslave) and a consistency (consistent, cached, delegated).
 * <pre>
 *   "/srv/www:/usr/share/nginx/html:ro" → bind, read-only, propagation rprivate
 *   "db:/var/lib/postgresql/data:nocopy" → volume "db", no copy-up
 *   "/cache"                              → an anonymous volume at /cache
 * </pre>
 */
final class MountParser {
    private static final Set<String> PROPAGATION = Set.of("private", "rprivate", "shared", "rshared", "slave", "rslave");
    private static final Set<String> CONSISTENCY = Set.of("consistent", "cached", "delegated");

    private MountParser() {}

    static MountRequest bind(String spec) {
        String[] arr = spec.split(":", -1);
        String src;
        String dst;
        String mode = "";
        switch (arr.length) {
            case 1 -> {
                src = "";
                dst = arr[0];
            }
            case 2 -> {
                if (validMode(arr[1])) throw invalidSpec(spec); // "/foo:rw": a volume cannot have a mode without a source
                src = arr[0];
                dst = arr[1];
            }
            case 3 -> {
                src = arr[0];
                dst = arr[1];
                mode = arr[2];
            }
            default -> throw invalidSpec(spec);
        }
        for (String a : arr) if (a.isEmpty()) throw invalidSpec(spec);
        if (!validMode(mode)) throw VolumeException.invalid("invalid mode: " + mode);
        boolean isBind = src.startsWith("/");
        String type = isBind ? "bind" : "volume";
        try {
            checkTarget(type, dst);
        } catch (VolumeException e) {
            throw VolumeException.invalid("invalid volume specification: '" + spec + "': invalid mount config for type \"" + type + "\": "
                    + e.getMessage());
        }
        boolean ro = false;
        boolean noCopy = false;
        String propagation = "";
        for (String m : mode.isEmpty() ? new String[0] : mode.split(",")) {
            if (m.equals("ro")) ro = true;
            if (m.equals("nocopy")) noCopy = true;
            if (PROPAGATION.contains(m)) propagation = m;
        }
        if (!isBind && !propagation.isEmpty()) throw VolumeException.invalid("invalid mode: " + mode);
        if (isBind && noCopy) throw VolumeException.invalid("invalid mode: " + mode);
        if (isBind && propagation.isEmpty()) propagation = "rprivate";
        return new MountRequest(type, isBind ? clean(src) : src, clean(dst), ro, mode, propagation, false, noCopy, "",
                Map.of(), "", Map.of(), "", isBind);
    }

    /** The checks of Docker's validateMountConfig, with its texts ({@code invalid mount config for type "bind": …}). */
    static MountRequest mount(MountSpec m) {
        String type = m.type();
        String prefix = "invalid mount config for type \"" + type + "\": ";
        if (!List.of("bind", "volume", "tmpfs").contains(type)) throw VolumeException.invalid(prefix + "mount type unknown");
        try {
            checkTarget(type, m.target());
        } catch (VolumeException e) {
            throw VolumeException.invalid(prefix + e.getMessage());
        }
        switch (type) {
            case "bind" -> {
                if (m.volumeOptions() != null) throw VolumeException.invalid(prefix + "field VolumeOptions must not be specified");
                if (m.tmpfsOptions() != null) throw VolumeException.invalid(prefix + "field TmpfsOptions must not be specified");
                if (m.source().isEmpty()) throw VolumeException.invalid(prefix + "field Source must not be empty");
                if (!m.source().startsWith("/")) throw VolumeException.invalid(prefix + "invalid mount path: '" + m.source() + "' mount path must be absolute");
                MountSpec.BindOptions b = m.bindOptions();
                String propagation = b == null || b.propagation() == null || b.propagation().isEmpty() ? "rprivate" : b.propagation();
                if (!PROPAGATION.contains(propagation)) throw VolumeException.invalid(prefix + "invalid propagation mode: " + propagation);
                boolean create = b != null && b.createMountpoint();
                if (!create && !Files.exists(Path.of(m.source()))) {
                    throw VolumeException.invalid(prefix + "bind source path does not exist: " + m.source());
                }
                return new MountRequest("bind", clean(m.source()), clean(m.target()), m.readOnly(), "", propagation,
                        b != null && b.nonRecursive(), false, "", Map.of(), "", Map.of(), "", create);
            }
            case "volume" -> {
                if (m.bindOptions() != null) throw VolumeException.invalid(prefix + "field BindOptions must not be specified");
                if (m.tmpfsOptions() != null) throw VolumeException.invalid(prefix + "field TmpfsOptions must not be specified");
                MountSpec.VolumeOptions v = m.volumeOptions();
                String subpath = v == null ? "" : v.subpath();
                if (!subpath.isEmpty()) checkSubpathText(prefix, subpath);
                if (!subpath.isEmpty() && m.source().isEmpty()) {
                    throw VolumeException.invalid(prefix + "subpath requires a named volume");
                }
                MountSpec.DriverConfig dc = v == null ? null : v.driverConfig();
                return new MountRequest("volume", m.source(), clean(m.target()), m.readOnly(), "", "", false,
                        v != null && v.noCopy(), subpath, v == null ? Map.of() : v.labels(), dc == null ? "" : dc.name(),
                        dc == null ? Map.of() : dc.options(), "", false);
            }
            default -> {
                if (!m.source().isEmpty()) throw VolumeException.invalid(prefix + "field Source must not be specified");
                if (m.bindOptions() != null) throw VolumeException.invalid(prefix + "field BindOptions must not be specified");
                if (m.volumeOptions() != null) throw VolumeException.invalid(prefix + "field VolumeOptions must not be specified");
                return new MountRequest("tmpfs", "", clean(m.target()), m.readOnly(), "", "", false, false, "", Map.of(), "",
                        Map.of(), TmpfsData.of(m.tmpfsOptions()), false);
            }
        }
    }

    /** A {@code HostConfig.Tmpfs} entry: destination → mount data ("size=64m,uid=1000"), as {@code --tmpfs /run:size=64m}. */
    static MountRequest tmpfs(String target, String data) {
        checkTarget("tmpfs", target);
        return new MountRequest("tmpfs", "", clean(target), false, "", "", false, false, "", Map.of(), "", Map.of(),
                data == null ? "" : data, false);
    }

    /** "container[:ro|rw]" of volumes_from → [container, mode]; mode "" keeps each mount's own RW. */
    static String[] volumesFrom(String spec) {
        String[] parts = spec.split(":", -1);
        if (parts.length > 2 || parts[0].isEmpty()) throw VolumeException.invalid("invalid volumes-from specification: '" + spec + "'");
        String mode = parts.length == 2 ? parts[1] : "";
        if (!mode.isEmpty() && !mode.equals("ro") && !mode.equals("rw")) {
            throw VolumeException.invalid("invalid mode for volumes-from: " + mode);
        }
        return new String[] {parts[0], mode};
    }

    private static void checkTarget(String type, String dst) {
        if (!dst.startsWith("/")) throw VolumeException.invalid("invalid mount path: '" + dst + "' mount path must be absolute");
        if (clean(dst).equals("/")) throw VolumeException.invalid("invalid specification: destination can't be '/'");
    }

    private static void checkSubpathText(String prefix, String subpath) {
        Path p = Path.of(subpath).normalize();
        if (subpath.startsWith("/") || p.startsWith("..") || p.toString().isEmpty()) {
            throw VolumeException.invalid(prefix + "subpath must be a relative path within the volume: " + subpath);
        }
    }

    static boolean validMode(String mode) {
        if (mode.isEmpty()) return true;
        int rw = 0, label = 0, prop = 0, cons = 0, copy = 0;
        for (String m : mode.split(",", -1)) {
            switch (m) {
                case "ro", "rw" -> rw++;
                case "z", "Z" -> label++;
                case "nocopy" -> copy++;
                default -> {
                    if (PROPAGATION.contains(m)) prop++;
                    else if (CONSISTENCY.contains(m)) cons++;
                    else return false;
                }
            }
        }
        return rw <= 1 && label <= 1 && prop <= 1 && cons <= 1 && copy <= 1;
    }

    /** filepath.Clean for absolute paths: "/a//b/../c/" → "/a/c". */
    static String clean(String path) {
        return Path.of(path).normalize().toString();
    }

    private static VolumeException invalidSpec(String spec) {
        return VolumeException.invalid("invalid volume specification: '" + spec + "'");
    }
}
