package io.jcompose.engine.network;

import java.util.List;
import java.util.Optional;

/**
 * A container joining a network.
 *
 * @param network       network id, id prefix or name
 * @param netns         path of the container's network namespace: {@code /run/netns/<name>} or {@code /proc/<pid>/ns/net}
 * @param aliases       extra DNS names on this network (Compose passes the service name here, plus {@code aliases:})
 * @param staticIp      Compose {@code ipv4_address}; empty: the next free address of the network's range
 * @param dns           upstream resolvers for this container (Compose {@code dns:}); empty: the engine's
 */
public record AttachRequest(String network, String containerId, String containerName, String netns,
                            List<String> aliases, Optional<String> staticIp, List<String> dns) {
    public AttachRequest {
        aliases = List.copyOf(aliases);
        dns = List.copyOf(dns);
        if (!netns.startsWith("/")) throw new IllegalArgumentException("netns must be an absolute path, got " + netns);
    }
}
