package io.jcompose.runtime;

import java.util.List;

/**
 * How a container joins one network.
 *
 * @param aliases     extra DNS names on this network (the service name, for Compose)
 * @param ipv4Address static IPv4 address; empty: allocated by the engine
 * @param ipv6Address static IPv6 address; empty: allocated by the engine
 * @param links       legacy links {@code container[:alias]}
 * @param macAddress  empty: generated
 */
public record NetworkAttachment(List<String> aliases, String ipv4Address, String ipv6Address, List<String> links,
                                String macAddress) {
    public NetworkAttachment {
        aliases = List.copyOf(aliases == null ? List.of() : aliases);
        links = List.copyOf(links == null ? List.of() : links);
        ipv4Address = ipv4Address == null ? "" : ipv4Address;
        ipv6Address = ipv6Address == null ? "" : ipv6Address;
        macAddress = macAddress == null ? "" : macAddress;
    }

    public static NetworkAttachment withAliases(String... aliases) {
        return new NetworkAttachment(List.of(aliases), "", "", List.of(), "");
    }
}
