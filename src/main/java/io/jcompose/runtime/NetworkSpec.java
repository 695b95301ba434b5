package io.jcompose.runtime;

import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A network to create.
 *
 * @param driver     empty: {@code bridge}
 * @param ipamPools  subnets; empty: allocated by the engine
 * @param options    driver options
 */
public record NetworkSpec(String name, String driver, SortedMap<String, String> labels, boolean internal,
                          boolean attachable, boolean enableIpv6, String ipamDriver, List<IpamPool> ipamPools,
                          SortedMap<String, String> options) {
    public NetworkSpec {
        if (name == null || name.isEmpty()) throw new IllegalArgumentException("network needs a name");
        driver = driver == null ? "" : driver;
        labels = new TreeMap<>(labels == null ? Map.of() : labels);
        ipamDriver = ipamDriver == null ? "" : ipamDriver;
        ipamPools = List.copyOf(ipamPools == null ? List.of() : ipamPools);
        options = new TreeMap<>(options == null ? Map.of() : options);
    }

    public static NetworkSpec of(String name, Map<String, String> labels) {
        return new NetworkSpec(name, "", new TreeMap<>(labels), false, false, false, "", List.of(), null);
    }

    /** One address pool; empty strings are unset. */
    public record IpamPool(String subnet, String ipRange, String gateway, SortedMap<String, String> auxAddresses) {
        public IpamPool {
            subnet = subnet == null ? "" : subnet;
            ipRange = ipRange == null ? "" : ipRange;
            gateway = gateway == null ? "" : gateway;
            auxAddresses = new TreeMap<>(auxAddresses == null ? Map.of() : auxAddresses);
        }
    }
}
