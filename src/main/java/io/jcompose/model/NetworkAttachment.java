package io.jcompose.model;

import java.util.List;
import java.util.Optional;
import java.util.SortedMap;

/**
 * How a service joins one network (the values of {@code services.*.networks}).
 *
 * @param priority   order in which the container is connected (higher first); 0 by default
 * @param gwPriority which network provides the default gateway (highest wins); 0 by default
 */
public record NetworkAttachment(List<String> aliases, Optional<String> ipv4Address, Optional<String> ipv6Address,
                                List<String> linkLocalIps, Optional<String> macAddress, SortedMap<String, String> driverOpts,
                                int priority, int gwPriority, Optional<String> interfaceName) {
    public NetworkAttachment {
        aliases = List.copyOf(aliases);
        Copies.opt(ipv4Address);
        Copies.opt(ipv6Address);
        linkLocalIps = List.copyOf(linkLocalIps);
        Copies.opt(macAddress);
        driverOpts = Copies.sorted(driverOpts);
        Copies.opt(interfaceName);
    }

    /** {@code networks: [front]} or {@code front: null}: no options. */
    public static NetworkAttachment plain() {
        return new NetworkAttachment(List.of(), Optional.empty(), Optional.empty(), List.of(), Optional.empty(),
                java.util.Collections.emptySortedMap(), 0, 0, Optional.empty());
    }
}
