package io.jcompose.runtime;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A network as the engine reports it.
 *
 * @param containers container id → its name and addresses on this network (empty when listed)
 */
public record NetworkInfo(String id, String name, String driver, String scope, SortedMap<String, String> labels,
                          boolean internal, boolean attachable, boolean enableIpv6, List<NetworkSpec.IpamPool> ipamPools,
                          SortedMap<String, String> options, SortedMap<String, Member> containers, Instant created) {
    public NetworkInfo {
        labels = new TreeMap<>(labels == null ? Map.of() : labels);
        ipamPools = List.copyOf(ipamPools == null ? List.of() : ipamPools);
        options = new TreeMap<>(options == null ? Map.of() : options);
        containers = new TreeMap<>(containers == null ? Map.of() : containers);
    }

    /** A container on the network. */
    public record Member(String name, String ipv4Address, String ipv6Address, String macAddress) {
    }
}
