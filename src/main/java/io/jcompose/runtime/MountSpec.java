package io.jcompose.runtime;

import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A mount into a container.
 *
 * @param type         bind, named volume or tmpfs
 * @param source       host path (bind), volume name (volume; empty: anonymous volume) or empty (tmpfs)
 * @param target       absolute path in the container
 * @param readOnly     mount read-only
 * @param propagation  bind propagation ({@code rprivate}, …); empty: engine default
 * @param noCopy       volume: do not copy the image's content into a new volume
 * @param tmpfsSize    tmpfs size in bytes; 0: unlimited
 * @param tmpfsMode    tmpfs mode bits; 0: engine default (1777)
 * @param createHostPath bind: create a missing host path (Compose's default) instead of failing
 * @param volumeLabels labels for a volume created by this mount
 */
public record MountSpec(Type type, String source, String target, boolean readOnly, String propagation,
                        boolean noCopy, long tmpfsSize, int tmpfsMode, boolean createHostPath,
                        SortedMap<String, String> volumeLabels) {
    public enum Type { BIND, VOLUME, TMPFS }

    public MountSpec {
        Objects.requireNonNull(type, "type");
        source = source == null ? "" : source;
        if (target == null || !target.startsWith("/")) {
            throw new IllegalArgumentException("mount target must be an absolute path, got " + target);
        }
        if (type == Type.BIND && source.isEmpty()) {
            throw new IllegalArgumentException("bind mount of " + target + " needs a source path");
        }
        propagation = propagation == null ? "" : propagation;
        volumeLabels = new TreeMap<>(volumeLabels == null ? java.util.Map.of() : volumeLabels);
    }

    public static MountSpec bind(String source, String target, boolean readOnly) {
        return new MountSpec(Type.BIND, source, target, readOnly, "", false, 0, 0, true, null);
    }

    public static MountSpec volume(String name, String target, boolean readOnly) {
        return new MountSpec(Type.VOLUME, name, target, readOnly, "", false, 0, 0, false, null);
    }

    public static MountSpec tmpfs(String target, long sizeBytes) {
        return new MountSpec(Type.TMPFS, "", target, false, "", false, sizeBytes, 0, false, null);
    }
}
