package io.jcompose.model;

import java.util.List;
import java.util.Optional;
import java.util.SortedMap;

/**
 * A project network.
 *
 * @param key        the name in the Compose file ({@code default}, {@code front})
 * @param name       the engine's name: {@code <project>_<key>} unless {@code name:} or external says otherwise
 * @param external   created outside the project: never created or removed, must exist
 * @param enableIpv4 empty: engine default (on)
 * @param enableIpv6 empty: engine default (off)
 * @param ipam       empty: the engine allocates a subnet
 * @param extensions {@code x-*} keys as compact JSON text
 */
public record Network(String key, String name, Optional<String> driver, SortedMap<String, String> driverOpts, boolean external,
                      boolean internal, boolean attachable, Optional<Boolean> enableIpv4, Optional<Boolean> enableIpv6,
                      Optional<Ipam> ipam, SortedMap<String, String> labels, SortedMap<String, String> extensions) {
    public Network {
        key = Copies.name("network", key);
        name = Copies.name("network", name);
        Copies.opt(driver);
        driverOpts = Copies.sorted(driverOpts);
        Copies.opt(enableIpv4);
        Copies.opt(enableIpv6);
        Copies.opt(ipam);
        labels = Copies.sorted(labels);
        extensions = Copies.sorted(extensions);
    }

    /** IP address management for a network. */
    public record Ipam(Optional<String> driver, List<Pool> config, SortedMap<String, String> options) {
        public Ipam {
            Copies.opt(driver);
            config = List.copyOf(config);
            options = Copies.sorted(options);
        }
    }

    /** One address pool; empty fields are chosen by the engine. */
    public record Pool(Optional<String> subnet, Optional<String> ipRange, Optional<String> gateway, SortedMap<String, String> auxAddresses) {
        public Pool {
            Copies.opt(subnet);
            Copies.opt(ipRange);
            Copies.opt(gateway);
            auxAddresses = Copies.sorted(auxAddresses);
        }
    }
}
