package io.jcompose.engine.network;

import java.util.List;

/**
 * One container's attachment to one bridge network ({@code endpoints/<id>.json}).
 *
 * @param containerId   the owner's id; the DNS responder treats all endpoints with one containerId as one client
 * @param containerName answered by DNS on the endpoint's network, like every alias
 * @param netns         the network namespace path the interface lives in (/run/netns/x or /proc/pid/ns/net)
 * @param ifName        the interface inside the namespace ("eth0", "eth1" …)
 * @param hostIf        the host side of the veth pair ({@code jv<rootid><7 hex>}, 15 chars)
 * @param defaultRoute  whether this endpoint installed the namespace's default route
 * @param upstreams     DNS servers for this container's forwarded queries (Compose {@code dns:}); empty: the engine's
 */
public record EndpointRecord(String id, String networkId, String containerId, String containerName, String netns,
                             String ifName, String hostIf, String ipv4, int prefix, String mac, String gateway,
                             List<String> aliases, boolean staticIp, boolean defaultRoute, List<String> upstreams) {
    public EndpointRecord {
        aliases = List.copyOf(aliases == null ? List.of() : aliases);
        upstreams = List.copyOf(upstreams == null ? List.of() : upstreams);
    }
}
