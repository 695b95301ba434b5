package io.jcompose.runtime;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What the engine reports about one container (inspect).
 *
 * @param name     without Docker's leading slash
 * @param image    the image reference the container was created from, as given
 * @param imageId  the image's content id ({@code sha256:…})
 * @param networks network name → endpoint
 * @param ports    published ports as actually bound (host port resolved)
 */
public record ContainerInfo(String id, String name, String image, String imageId, Instant created,
                            SortedMap<String, String> labels, SortedMap<String, String> env, ContainerState state,
                            SortedMap<String, EndpointInfo> networks, List<PortBinding> ports, List<MountInfo> mounts,
                            int restartCount, boolean tty) {
    public ContainerInfo {
        labels = new TreeMap<>(labels == null ? Map.of() : labels);
        env = new TreeMap<>(env == null ? Map.of() : env);
        networks = new TreeMap<>(networks == null ? Map.of() : networks);
        ports = List.copyOf(ports == null ? List.of() : ports);
        mounts = List.copyOf(mounts == null ? List.of() : mounts);
    }

    /** An attachment as observed. */
    public record EndpointInfo(String networkId, String ipv4Address, String ipv6Address, String macAddress,
                               List<String> aliases) {
        public EndpointInfo {
            aliases = List.copyOf(aliases == null ? List.of() : aliases);
        }
    }

    /** A mount as observed; {@code name} is the volume name for volume mounts, else empty. */
    public record MountInfo(String type, String name, String source, String destination, boolean readWrite) {
    }
}
