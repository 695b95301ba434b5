package io.jcompose.model;

import java.util.Objects;
import java.util.Optional;

/**
 * One entry of a service's {@code volumes}, Compose's long syntax. Options of other types stay empty/false.
 *
 * @param source           volume name (project-level key), absolute host path (bind), image reference (image);
 *                         empty: an anonymous volume, or tmpfs
 * @param target           absolute path in the container
 * @param consistency      macOS-era hint, kept for fidelity
 * @param bindPropagation  {@code rprivate}, {@code shared} …; empty: engine default
 * @param bindCreateHostPath create a missing bind source (Compose's default for short syntax)
 * @param bindSelinux      {@code z} or {@code Z}
 * @param volumeNocopy     do not copy image content into an empty volume
 * @param subpath          volume or image sub-directory to mount
 * @param tmpfsSize        bytes; empty: unlimited
 * @param tmpfsMode        file mode bits of the tmpfs root
 */
public record Mount(Type type, Optional<String> source, String target, boolean readOnly, Optional<String> consistency,
                    Optional<String> bindPropagation, boolean bindCreateHostPath, Optional<String> bindSelinux,
                    boolean volumeNocopy, Optional<String> subpath, Optional<Long> tmpfsSize, Optional<Integer> tmpfsMode) {
    public Mount {
        Objects.requireNonNull(type, "type");
        Copies.opt(source);
        if (target == null || target.isEmpty()) throw new IllegalArgumentException("mount target must not be empty");
        Copies.opt(consistency);
        Copies.opt(bindPropagation);
        Copies.opt(bindSelinux);
        Copies.opt(subpath);
        Copies.opt(tmpfsSize);
        Copies.opt(tmpfsMode);
        if (type == Type.BIND && source.isEmpty()) throw new IllegalArgumentException("a bind mount needs a source (" + target + ")");
    }

    /** Compose's mount types. */
    public enum Type {
        BIND, VOLUME, TMPFS, IMAGE, NPIPE, CLUSTER;

        public String composeName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public static Type of(String composeName) {
            for (Type t : values()) if (t.composeName().equals(composeName)) return t;
            throw new IllegalArgumentException("unknown mount type \"" + composeName + "\"");
        }
    }
}
