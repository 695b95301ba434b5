package io.jcompose.engine.volume;

import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Everything of a container create request that asks for mounts, as Docker's API carries it.
 *
 * @param binds        {@code HostConfig.Binds} ("src:dst:mode")
 * @param mounts       {@code HostConfig.Mounts}
 * @param tmpfs        {@code HostConfig.Tmpfs}: destination → mount data ("size=64m")
 * @param imageVolumes the image's {@code Config.Volumes} plus the request's {@code Config.Volumes}: each one not
 *                     otherwise mounted gets an anonymous volume, filled from the image
 * @param volumesFrom  {@code HostConfig.VolumesFrom}: "container[:ro|rw]"
 * @param volumeDriver {@code HostConfig.VolumeDriver}; "" is local (the only driver)
 */
public record ContainerMounts(List<String> binds, List<MountSpec> mounts, SortedMap<String, String> tmpfs,
                              SortedSet<String> imageVolumes, List<String> volumesFrom, String volumeDriver) {
    public static final ContainerMounts NONE = new ContainerMounts(List.of(), List.of(), new TreeMap<>(), new TreeSet<>(), List.of(), "");

    public ContainerMounts {
        binds = List.copyOf(binds == null ? List.of() : binds);
        mounts = List.copyOf(mounts == null ? List.of() : mounts);
        tmpfs = new TreeMap<>(tmpfs == null ? Map.of() : tmpfs);
        imageVolumes = new TreeSet<>(imageVolumes == null ? java.util.Set.of() : imageVolumes);
        volumesFrom = List.copyOf(volumesFrom == null ? List.of() : volumesFrom);
        volumeDriver = volumeDriver == null ? "" : volumeDriver;
    }
}
