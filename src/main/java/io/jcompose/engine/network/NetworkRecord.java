package io.jcompose.engine.network;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One network as the engine keeps it ({@code networks/<id>.json}).
 *
 * @param driver    "bridge", "host" or "null" (Docker's names; host and null have no subnet and no bridge)
 * @param subnet    CIDR, e.g. "172.18.0.0/16"; null for host/null
 * @param gateway   the bridge's address (also the DNS responder's), null for host/null
 * @param ipRange   the block container addresses come from; equals subnet when the request gave none
 * @param bridge    Linux bridge name {@code jc<rootid><n>} (≤ 15 chars), null for host/null
 * @param predefined Docker's predefined networks (bridge, host, none): never removed or pruned
 */
public record NetworkRecord(String id, String name, String driver, String created, boolean internal, boolean attachable,
                            SortedMap<String, String> labels, SortedMap<String, String> options, String subnet,
                            String gateway, String ipRange, String bridge, boolean predefined) {
    public NetworkRecord {
        if (id == null || !id.matches("[0-9a-f]{64}")) throw new IllegalArgumentException("network id must be 64 hex digits, got " + id);
        if (name == null || name.isEmpty()) throw new IllegalArgumentException("network " + id + " has no name");
        labels = new TreeMap<>(labels == null ? Map.of() : labels);
        options = new TreeMap<>(options == null ? Map.of() : options);
        if (driver.equals("bridge") && (subnet == null || gateway == null || bridge == null)) {
            throw new IllegalArgumentException("bridge network " + name + " needs subnet, gateway and bridge");
        }
    }

    boolean isBridge() {
        return driver.equals("bridge");
    }
}
