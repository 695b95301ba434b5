package io.jcompose.engine.container;

import io.jcompose.engine.volume.MountPoint;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One container as kept on disk ({@code <root>/containers/<id>.json}): what it was created with and its last
 * known state. {@code manuallyStopped}: stopped through the API, so {@code always} does not restart it after an
 * engine restart and {@code unless-stopped} stays stopped (Docker's rules).
 *
 * @param networks the bridge networks the container joins when it starts (name → settings), from its network mode,
 *                 {@code NetworkingConfig} and later {@code network connect}; empty for host, none and container:
 * @param mounts   its resolved mounts (inspect's {@code Mounts}; another container's {@code volumes_from})
 */
public record ContainerRecord(String id, String name, String created, ContainerSpec spec, ImageConfig image,
                              String rootfs, ContainerState state, int restartCount, boolean manuallyStopped,
                              SortedMap<String, NetworkConfig> networks, List<MountPoint> mounts) {
    public ContainerRecord {
        networks = new TreeMap<>(networks == null ? Map.of() : networks);
        mounts = List.copyOf(mounts == null ? List.of() : mounts);
    }

    ContainerRecord(String id, String name, String created, ContainerSpec spec, ImageConfig image, String rootfs,
                    ContainerState state, int restartCount, boolean manuallyStopped) {
        this(id, name, created, spec, image, rootfs, state, restartCount, manuallyStopped, null, null);
    }

    /**
     * A network the container is to be on.
     *
     * @param networkId   the network's id when the container joined it (a network re-created under the same
     *                    name is a different network, as in Docker)
     * @param aliases     DNS aliases on that network (Compose: the service name)
     * @param ipv4Address a static address; "" for one from the network's range
     */
    public record NetworkConfig(String networkId, List<String> aliases, String ipv4Address) {
        public NetworkConfig {
            aliases = List.copyOf(aliases == null ? List.of() : aliases);
            ipv4Address = ipv4Address == null ? "" : ipv4Address;
        }
    }

    ContainerRecord with(ContainerState s) {
        return new ContainerRecord(id, name, created, spec, image, rootfs, s, restartCount, manuallyStopped, networks, mounts);
    }

    ContainerRecord withRestarts(int n, boolean manual) {
        return new ContainerRecord(id, name, created, spec, image, rootfs, state, n, manual, networks, mounts);
    }

    ContainerRecord withNetworks(SortedMap<String, NetworkConfig> n) {
        return new ContainerRecord(id, name, created, spec, image, rootfs, state, restartCount, manuallyStopped, n, mounts);
    }
}
