package io.jcompose.engine.network;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The names the DNS responder answers, per network. A client is recognised by its source address, which belongs to
 * one endpoint, hence to one container; the container's networks are the ones whose names it sees. So a container
 * on two networks resolves names of both, and a name registered only on a network the client is not on is
 * NXDOMAIN for it. {@link Networks#attach} registers the container name and aliases of each endpoint; callers may
 * add names (e.g. a service name not passed as an alias) with {@link #register}. Thread-safe.
 */
public final class Resolver {
    /** The outcome of a lookup. */
    sealed interface Lookup permits Known, Foreign, Unknown {}

    /** The name is on one of the client's networks: its addresses, rotated on every lookup. */
    record Known(List<InetAddress> addresses) implements Lookup {}

    /** The name belongs to a network the client is not on. */
    record Foreign() implements Lookup {}

    /**
     * Not one of ours: forward it to {@code upstreams} (the client's own or, when empty, the engine's) — unless
     * {@code forward} is false: a client only on internal networks gets no outside names (as in Podman and Docker ≥ 26).
     */
    record Unknown(List<String> upstreams, boolean forward) implements Lookup {}

    private record Entry(String containerId, String ip) {}

    private final Map<String, String> containerByIp = new HashMap<>();
    private final Map<String, String> ipByEndpoint = new HashMap<>();
    private final Map<String, Map<String, List<Entry>>> namesByNetwork = new HashMap<>();
    private final Map<String, Set<String>> networksByContainer = new HashMap<>();
    private final Map<String, List<String>> upstreamsByContainer = new HashMap<>();
    private final AtomicInteger rotation = new AtomicInteger();
    private final Set<String> internal = new java.util.HashSet<>();

    /** Declares {@code networkId} internal: its clients' queries are not forwarded unless they are on another network. */
    public synchronized void internal(String networkId) {
        internal.add(networkId);
    }

    /**
     * Makes {@code names} on {@code networkId} resolve to {@code ip} for every container on that network, and
     * makes queries from {@code ip} count as coming from {@code containerId}. Registering again adds names.
     */
    public synchronized void register(String containerId, String networkId, String ip, Collection<String> names,
                                      List<String> upstreams) {
        containerByIp.put(ip, containerId);
        ipByEndpoint.put(containerId + "\0" + networkId, ip);
        networksByContainer.computeIfAbsent(containerId, k -> new LinkedHashSet<>()).add(networkId);
        if (!upstreams.isEmpty()) upstreamsByContainer.put(containerId, List.copyOf(upstreams));
        Map<String, List<Entry>> names2 = namesByNetwork.computeIfAbsent(networkId, k -> new HashMap<>());
        for (String n : names) {
            List<Entry> l = names2.computeIfAbsent(norm(n), k -> new ArrayList<>());
            Entry e = new Entry(containerId, ip);
            if (!l.contains(e)) l.add(e);
        }
    }

    /** Forgets {@code containerId}'s names and address on {@code networkId}; unknown ones are fine. */
    public synchronized void unregister(String containerId, String networkId) {
        Map<String, List<Entry>> names = namesByNetwork.get(networkId);
        if (names != null) {
            names.values().forEach(l -> l.removeIf(e -> e.containerId.equals(containerId)));
            names.values().removeIf(List::isEmpty);
        }
        String ip = ipByEndpoint.remove(containerId + "\0" + networkId);
        if (ip != null && !ipByEndpoint.containsValue(ip)) containerByIp.remove(ip);
        Set<String> nets = networksByContainer.get(containerId);
        if (nets != null) {
            nets.remove(networkId);
            if (nets.isEmpty()) {
                networksByContainer.remove(containerId);
                upstreamsByContainer.remove(containerId);
            }
        }
    }

    /** What to answer {@code client} asking for {@code name}. */
    synchronized Lookup lookup(InetAddress client, String name) {
        String n = norm(name);
        String container = containerByIp.get(client.getHostAddress());
        Set<String> nets = container == null ? Set.of() : networksByContainer.getOrDefault(container, Set.of());
        List<String> ips = new ArrayList<>();
        for (String net : nets) {
            for (Entry e : namesByNetwork.getOrDefault(net, Map.of()).getOrDefault(n, List.of())) {
                if (!ips.contains(e.ip)) ips.add(e.ip);
            }
        }
        if (!ips.isEmpty()) {
            java.util.Collections.sort(ips);
            java.util.Collections.rotate(ips, -Math.floorMod(rotation.getAndIncrement(), ips.size()));
            List<InetAddress> out = new ArrayList<>();
            for (String ip : ips) out.add(Ipv4.inet(Ipv4.parse(ip)));
            return new Known(out);
        }
        for (Map<String, List<Entry>> other : namesByNetwork.values()) {
            if (other.containsKey(n)) return new Foreign();
        }
        boolean forward = nets.isEmpty() || !internal.containsAll(nets);
        return new Unknown(container == null ? List.of() : upstreamsByContainer.getOrDefault(container, List.of()), forward);
    }

    /** The names each network answers, for debugging and tests (sorted). */
    synchronized Map<String, List<String>> names(String networkId) {
        Map<String, List<String>> out = new TreeMap<>();
        namesByNetwork.getOrDefault(networkId, Map.of()).forEach((k, v) -> out.put(k, v.stream().map(Entry::ip).sorted().toList()));
        return out;
    }

    private static String norm(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }
}
