package io.jcompose.engine.network;

import io.jcompose.engine.state.StateStore;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The engine's networks: records, IPAM, bridges, veth endpoints, firewall chains, the DNS responders and the
 * published ports. One instance per engine; every mutation holds its lock, so plumbing and state never disagree
 * inside one engine. Host-global names carry the state root's short id: bridges {@code jc<id><n>}, host-side veths
 * {@code jv<id><7 hex>}, chains {@code JCOMPOSE-<id>-FWD|NAT}.
 *
 * <p>The container part calls, per container: {@link #attach} for each network (it creates the netns, e.g.
 * {@code ip netns add}, or passes {@code /proc/<pid>/ns/net}), {@link #publish} for its ports, {@link #resolvConf}
 * and {@link #hosts} for the files it bind-mounts; and on removal {@link #unpublish} then {@link #detach}.
 */
public final class Networks implements Closeable {
    private static final Logger LOG = Logger.getLogger(Networks.class.getName());
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * @param upstreams  DNS servers for forwarded queries ("ip" or "ip:port"); empty: the host's resolv.conf
     * @param resolvConf the host's resolv.conf (its nameservers are the default upstreams; host-network containers get it)
     * @param dnsPort    53 in production; tests may use another
     */
    public record Options(List<String> upstreams, Path resolvConf, int dnsPort) {
        public Options {
            upstreams = List.copyOf(upstreams);
        }

        public static Options defaults() {
            return new Options(List.of(), Path.of("/etc/resolv.conf"), 53);
        }
    }

    private final String rootId;
    private final Options options;
    private final StateStore<NetworkRecord> networks;
    private final StateStore<EndpointRecord> endpoints;
    private final StateStore<PortRecord> ports;
    private final Firewall firewall;
    private final Resolver resolver = new Resolver();
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "network-worker");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, DnsServer> dns = new TreeMap<>();
    private final Map<String, List<PortProxy>> proxies = new TreeMap<>();
    private final List<String> defaultUpstreams;

    private Networks(Path dir, String rootId, Options options) throws IOException {
        if (!rootId.matches("[0-9a-f]{6}")) throw new IllegalArgumentException("root id must be 6 hex digits, got " + rootId);
        this.rootId = rootId;
        this.options = options;
        this.networks = new StateStore<>(dir.resolve("networks"), NetworkRecord.class);
        this.endpoints = new StateStore<>(dir.resolve("endpoints"), EndpointRecord.class);
        this.ports = new StateStore<>(dir.resolve("ports"), PortRecord.class);
        this.firewall = new Firewall(rootId);
        List<String> ups = options.upstreams();
        if (ups.isEmpty()) {
            try {
                ups = DnsServer.nameservers(Files.readString(options.resolvConf()));
            } catch (IOException e) {
                ups = List.of();
            }
        }
        this.defaultUpstreams = List.copyOf(ups);
    }

    /**
     * Opens the network state under {@code dir} and makes the host match it: predefined networks exist, every
     * bridge and firewall rule is there, endpoints whose veth vanished (their container's netns is gone) are
     * dropped, DNS responders listen and published ports are bound again.
     */
    public static Networks open(Path dir, String rootId, Options options) throws IOException {
        Networks n = new Networks(dir, rootId, options);
        try {
            n.recover();
        } catch (RuntimeException | IOException e) {
            n.close();
            throw e;
        }
        return n;
    }

    private synchronized void recover() throws IOException {
        Map<String, NetworkRecord> all = networks.readAll().records();
        if (all.values().stream().noneMatch(r -> r.name().equals("bridge"))) {
            createLocked(new CreateRequest("bridge", "bridge", false, false, null,
                    new TreeMap<>(Map.of("com.docker.network.bridge.default_bridge", "true")),
                    Optional.empty(), Optional.empty(), Optional.empty(), false), true);
        }
        for (String[] p : new String[][] {{"host", "host"}, {"none", "null"}}) {
            if (all.values().stream().noneMatch(r -> r.name().equals(p[0]))) {
                NetworkRecord r = new NetworkRecord(newId(), p[0], p[1], Instant.now().toString(), false, false, null, null,
                        null, null, null, null, true);
                networks.put(r.id(), r);
            }
        }
        Set<String> used = new HashSet<>();
        endpoints.readAll().records().values().forEach(e -> used.add(e.networkId()));
        for (NetworkRecord r : networks.readAll().records().values()) {
            if (r.isBridge() && (!r.predefined() || used.contains(r.id()))) materialize(r);
        }
        List<NetworkRecord> live = live();
        if (!live.isEmpty() || firewall.chainsExist()) firewall.apply(live);
        for (EndpointRecord e : endpoints.readAll().records().values()) {
            if (!linkExists(e.hostIf()) || networks.get(e.networkId()).isEmpty()) {
                LOG.info("endpoint " + e.id() + " of container " + e.containerName() + " is gone (no " + e.hostIf() + "); forgetting it");
                endpoints.delete(e.id());
                ports.delete(e.id());
                continue;
            }
            registerNames(e);
        }
        for (PortRecord p : ports.readAll().records().values()) {
            Optional<EndpointRecord> e = endpoints.get(p.endpointId());
            if (e.isEmpty()) {
                ports.delete(p.endpointId());
                continue;
            }
            try {
                bindAll(e.get(), p.bindings());
            } catch (NetworkException ex) {
                LOG.warning("cannot re-publish ports of " + e.get().containerName() + ": " + ex.getMessage());
            }
        }
    }

    // ---- networks ---------------------------------------------------------------------------------------------

    /** Creates a network; CONFLICT if the name exists, INVALID for a bad subnet/gateway/range or IPv6. */
    public synchronized NetworkRecord create(CreateRequest req) {
        return createLocked(req, false);
    }

    private NetworkRecord createLocked(CreateRequest req, boolean predefined) {
        if (req.name() == null || !req.name().matches("[a-zA-Z0-9][a-zA-Z0-9_.-]*")) {
            throw new NetworkException(NetworkException.Kind.INVALID, "invalid network name \"" + req.name()
                    + "\": only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
        }
        if (req.enableIpv6()) {
            throw new NetworkException(NetworkException.Kind.INVALID, "network " + req.name()
                    + ": IPv6 (EnableIPv6 / enable_ipv6) is not supported by the jcompose engine yet; remove it or use --runtime docker");
        }
        if (!req.driver().equals("bridge")) {
            throw new NetworkException(NetworkException.Kind.INVALID, "network " + req.name() + ": driver \"" + req.driver()
                    + "\" is not supported; only bridge networks can be created");
        }
        List<NetworkRecord> existing = all();
        if (existing.stream().anyMatch(r -> r.name().equals(req.name()))) {
            throw new NetworkException(NetworkException.Kind.CONFLICT, "network with name " + req.name() + " already exists");
        }
        // Another engine on this host (tests run several) may pick the same free block between our route check and
        // our bridge's address: the loser's DNS bind on the gateway fails, and it moves to the next free block.
        List<Ipv4.Cidr> lostRaces = new ArrayList<>();
        for (int attempt = 1; ; attempt++) {
            try {
                return createOnce(req, predefined, existing, lostRaces);
            } catch (AddressClash e) {
                if (attempt >= 5) throw e.failure;
                LOG.info("network " + req.name() + ": subnet " + e.subnet + " was taken meanwhile (" + e.failure.getMessage() + "); trying another");
                lostRaces.add(e.subnet);
            }
        }
    }

    /** An auto-allocated subnet turned out to be in use by the time its bridge and DNS came up. */
    private static final class AddressClash extends RuntimeException {
        final Ipv4.Cidr subnet;
        final NetworkException failure;

        AddressClash(Ipv4.Cidr subnet, NetworkException failure) {
            super(failure.getMessage(), failure, false, false);
            this.subnet = subnet;
            this.failure = failure;
        }
    }

    private NetworkRecord createOnce(CreateRequest req, boolean predefined, List<NetworkRecord> existing, List<Ipv4.Cidr> lostRaces) {
        Ipv4.Cidr subnet;
        try {
            List<Ipv4.Cidr> ours = new ArrayList<>();
            for (NetworkRecord r : existing) if (r.subnet() != null) ours.add(Ipv4.Cidr.parse(r.subnet()));
            if (req.subnet().isPresent()) {
                subnet = Ipv4.Cidr.parse(req.subnet().get());
                for (Ipv4.Cidr c : ours) {
                    if (c.overlaps(subnet)) {
                        throw new NetworkException(NetworkException.Kind.CONFLICT, "network " + req.name() + ": subnet " + subnet
                                + " overlaps " + c + " of another network");
                    }
                }
            } else {
                List<Ipv4.Cidr> taken = new ArrayList<>(ours);
                taken.addAll(HostRoutes.read());
                taken.addAll(lostRaces);
                subnet = Ipam.allocateSubnet(taken);
            }
            Ipv4.Cidr range = req.ipRange().map(Ipv4.Cidr::parse).orElse(subnet);
            if (!subnet.contains(range.base()) || !subnet.contains(range.last())) {
                throw new NetworkException(NetworkException.Kind.INVALID, "network " + req.name() + ": ip range " + range
                        + " is not inside subnet " + subnet);
            }
            int gw = req.gateway().map(Ipv4::parse).orElse(Ipam.defaultGateway(subnet));
            if (!subnet.contains(gw)) {
                throw new NetworkException(NetworkException.Kind.INVALID, "network " + req.name() + ": gateway " + Ipv4.format(gw)
                        + " is not inside subnet " + subnet);
            }
            Set<String> bridges = new HashSet<>();
            existing.forEach(r -> bridges.add(r.bridge()));
            String bridge = null;
            for (int n = 0; bridge == null; n++) {
                String cand = "jc" + rootId + n;
                if (!bridges.contains(cand) && !linkExists(cand)) bridge = cand;
            }
            NetworkRecord r = new NetworkRecord(newId(), req.name(), "bridge", Instant.now().toString(), req.internal(),
                    req.attachable(), req.labels(), req.options(), subnet.toString(), Ipv4.format(gw), range.toString(),
                    bridge, predefined);
            try {
                networks.put(r.id(), r);
                // Docker's default network is made real on first use: an engine that never runs a container on it
                // (most test engines) leaves no bridge, rule or listener behind.
                if (!predefined) {
                    materialize(r);
                    firewall.apply(live());
                }
            } catch (IOException | RuntimeException e) {
                cleanupNetwork(r);
                if (req.subnet().isEmpty() && e instanceof NetworkException ne && String.valueOf(ne.getMessage()).contains("in use")) {
                    throw new AddressClash(subnet, ne);
                }
                throw e;
            }
            return r;
        } catch (IllegalArgumentException e) {
            throw new NetworkException(NetworkException.Kind.INVALID, "network " + req.name() + ": " + e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void cleanupNetwork(NetworkRecord r) {
        DnsServer d = dns.remove(r.id());
        if (d != null) d.close();
        try {
            networks.delete(r.id());
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot delete state of network " + r.name(), e);
        }
        if (linkExists(r.bridge())) Commands.run(List.of("ip", "link", "del", r.bridge()), null);
        try {
            firewall.apply(live());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "cannot update firewall after removing " + r.name(), e);
        }
    }

    /** The bridge, its address and the DNS responder of {@code r}, created if missing. */
    private void materialize(NetworkRecord r) {
        if (!linkExists(r.bridge())) createBridge(r);
        startDns(r);
    }

    /**
     * The predefined bridge's subnet was chosen when the engine first started, but its route only appears on first
     * use: if something (another engine, a VPN) took that block meanwhile, move to a free one while nothing uses it.
     */
    private NetworkRecord reallocateIfTaken(NetworkRecord n) {
        Ipv4.Cidr mine = Ipv4.Cidr.parse(n.subnet());
        List<Ipv4.Cidr> taken = new ArrayList<>(HostRoutes.read());
        if (taken.stream().noneMatch(mine::overlaps)) return n;
        for (NetworkRecord r : all()) if (r.subnet() != null && !r.id().equals(n.id())) taken.add(Ipv4.Cidr.parse(r.subnet()));
        Ipv4.Cidr fresh = Ipam.allocateSubnet(taken);
        NetworkRecord moved = new NetworkRecord(n.id(), n.name(), n.driver(), n.created(), n.internal(), n.attachable(), n.labels(),
                n.options(), fresh.toString(), Ipv4.format(Ipam.defaultGateway(fresh)), fresh.toString(), n.bridge(), n.predefined());
        try {
            networks.put(n.id(), moved);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        LOG.info("network " + n.name() + ": " + mine + " is now routed elsewhere on this host; using " + fresh);
        return moved;
    }

    /** Bridge networks whose Linux bridge exists: the ones the firewall must serve. */
    private List<NetworkRecord> live() {
        return all().stream().filter(r -> r.isBridge() && linkExists(r.bridge())).toList();
    }

    /** Undoes {@link #materialize} for the predefined bridge once its last endpoint is gone. */
    private void dematerialize(NetworkRecord r) {
        DnsServer d = dns.remove(r.id());
        if (d != null) d.close();
        if (linkExists(r.bridge())) Commands.run(List.of("ip", "link", "del", r.bridge()), null);
        firewall.apply(live());
    }

    private static void createBridge(NetworkRecord r) {
        enableForwarding();
        Ipv4.Cidr subnet = Ipv4.Cidr.parse(r.subnet());
        // A fixed MAC: a bridge without one takes the lowest MAC of its ports, so removing a container's veth could
        // change the gateway's MAC and leave every other container's ARP entry for it stale (DNS and egress stall).
        Commands.ipBatch(List.of(
                "link add " + r.bridge() + " type bridge",
                "link set " + r.bridge() + " address " + Ipam.mac(Ipv4.parse(r.gateway())),
                "addr add " + r.gateway() + "/" + subnet.prefix() + " dev " + r.bridge(),
                "link set " + r.bridge() + " up"));
    }

    private static void enableForwarding() {
        Path f = Path.of("/proc/sys/net/ipv4/ip_forward");
        try {
            if (!Files.readString(f).trim().equals("1")) Files.writeString(f, "1\n");
        } catch (IOException e) {
            throw new NetworkException(NetworkException.Kind.UNAVAILABLE, "cannot enable IPv4 forwarding: " + e.getMessage(), e);
        }
    }

    private void startDns(NetworkRecord r) {
        if (dns.containsKey(r.id())) return;
        try {
            dns.put(r.id(), new DnsServer(Ipv4.inet(Ipv4.parse(r.gateway())), options.dnsPort(), resolver,
                    () -> defaultUpstreams, pool));
        } catch (IOException e) {
            throw new NetworkException(NetworkException.Kind.UNAVAILABLE, "network " + r.name() + ": cannot start DNS on "
                    + r.gateway() + ":" + options.dnsPort() + ": " + e.getMessage(), e);
        }
    }

    /** Every network, sorted by name. */
    public synchronized List<NetworkRecord> all() {
        try {
            List<NetworkRecord> l = new ArrayList<>(networks.readAll().records().values());
            l.sort(java.util.Comparator.comparing(NetworkRecord::name).thenComparing(NetworkRecord::id));
            return l;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** By full id, exact name, or unique id prefix (Docker's order); NOT_FOUND otherwise. */
    public synchronized NetworkRecord get(String ref) {
        List<NetworkRecord> l = all();
        for (NetworkRecord r : l) if (r.id().equals(ref)) return r;
        for (NetworkRecord r : l) if (r.name().equals(ref)) return r;
        List<NetworkRecord> p = l.stream().filter(r -> r.id().startsWith(ref)).toList();
        if (p.size() == 1 && !ref.isEmpty()) return p.get(0);
        if (p.size() > 1) throw new NetworkException(NetworkException.Kind.INVALID, "network " + ref + " is ambiguous (" + p.size() + " matches)");
        throw new NetworkException(NetworkException.Kind.NOT_FOUND, "network " + ref + " not found");
    }

    /** The endpoints on {@code networkId}, sorted by id. */
    public synchronized List<EndpointRecord> endpoints(String networkId) {
        try {
            return endpoints.readAll().records().values().stream().filter(e -> e.networkId().equals(networkId)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Removes a network: CONFLICT while it has endpoints or is predefined. */
    public synchronized void remove(String ref) {
        NetworkRecord r = get(ref);
        if (r.predefined()) {
            throw new NetworkException(NetworkException.Kind.CONFLICT, r.name() + " is a pre-defined network and cannot be removed");
        }
        List<EndpointRecord> eps = endpoints(r.id());
        if (!eps.isEmpty()) {
            throw new NetworkException(NetworkException.Kind.CONFLICT, "error while removing network: network " + r.name() + " id " + r.id()
                    + " has active endpoints (" + String.join(", ", eps.stream().map(EndpointRecord::containerName).toList()) + ")");
        }
        cleanupNetwork(r);
    }

    /** Removes every non-predefined network without endpoints that {@code filter} accepts; returns their names. */
    public synchronized List<String> prune(Predicate<NetworkRecord> filter) {
        List<String> removed = new ArrayList<>();
        for (NetworkRecord r : all()) {
            if (r.predefined() || !filter.test(r) || !endpoints(r.id()).isEmpty()) continue;
            cleanupNetwork(r);
            removed.add(r.name());
        }
        return removed;
    }

    // ---- endpoints --------------------------------------------------------------------------------------------

    /**
     * Attaches a container's namespace to a bridge network: a veth pair whose peer is created directly in
     * {@code req.netns()} as the next free {@code ethN}, the address (static or allocated), lo up, the default route
     * via the gateway if the namespace has none from us yet and the network is not internal, and the container
     * name plus aliases registered in the DNS responder. CONFLICT if the container is already on it or the static
     * address is taken; INVALID for host/none networks (they need no endpoint) or an address outside the range.
     */
    public synchronized Attachment attach(AttachRequest req) {
        NetworkRecord n = get(req.network());
        if (!n.isBridge()) {
            throw new NetworkException(NetworkException.Kind.INVALID, "network " + n.name() + " (" + n.driver()
                    + ") has no endpoints: a container uses it as its network mode");
        }
        if (!Files.exists(Path.of(req.netns()))) {
            throw new NetworkException(NetworkException.Kind.INVALID, "network namespace " + req.netns() + " does not exist");
        }
        if (!linkExists(n.bridge())) {
            n = reallocateIfTaken(n);
            materialize(n);
            firewall.apply(live());
        }
        List<EndpointRecord> mine = allEndpoints();
        Set<Integer> used = new HashSet<>();
        Set<String> ifNames = new HashSet<>();
        boolean hasDefault = false;
        for (EndpointRecord e : mine) {
            if (e.networkId().equals(n.id())) {
                used.add(Ipv4.parse(e.ipv4()));
                if (e.containerId().equals(req.containerId())) {
                    throw new NetworkException(NetworkException.Kind.CONFLICT, "container " + req.containerName()
                            + " is already attached to network " + n.name());
                }
            }
            if (e.netns().equals(req.netns())) {
                ifNames.add(e.ifName());
                hasDefault |= e.defaultRoute();
            }
        }
        Ipv4.Cidr subnet = Ipv4.Cidr.parse(n.subnet());
        int gw = Ipv4.parse(n.gateway());
        int ip;
        if (req.staticIp().isPresent()) {
            ip = Ipv4.parse(req.staticIp().get());
            if (!Ipam.usable(subnet, gw, ip)) {
                throw new NetworkException(NetworkException.Kind.INVALID, "address " + req.staticIp().get() + " is not usable in network "
                        + n.name() + " (" + n.subnet() + ", gateway " + n.gateway() + ")");
            }
            if (used.contains(ip)) {
                throw new NetworkException(NetworkException.Kind.CONFLICT, "address " + req.staticIp().get() + " is already in use on network " + n.name());
            }
        } else {
            Set<Integer> reserved = new HashSet<>(used);
            ip = Ipam.allocateAddress(subnet, Ipv4.Cidr.parse(n.ipRange()), gw, reserved);
        }
        String ifName = null;
        for (int i = 0; ifName == null; i++) if (!ifNames.contains("eth" + i)) ifName = "eth" + i;
        String id = newId();
        String hostIf = "jv" + rootId + id.substring(0, 7);
        String mac = Ipam.mac(ip);
        boolean route = !hasDefault && !n.internal();
        EndpointRecord e = new EndpointRecord(id, n.id(), req.containerId(), req.containerName(), req.netns(), ifName, hostIf,
                Ipv4.format(ip), subnet.prefix(), mac, n.gateway(), req.aliases(), req.staticIp().isPresent(), route, req.dns());
        try {
            Commands.ipBatch(List.of(
                    "link add " + hostIf + " type veth peer name " + ifName + " address " + mac + " netns " + req.netns(),
                    "link set " + hostIf + " master " + n.bridge(),
                    "link set " + hostIf + " up"));
            List<String> inside = new ArrayList<>(List.of(
                    "link set lo up",
                    "addr add " + e.ipv4() + "/" + e.prefix() + " dev " + ifName,
                    "link set " + ifName + " up"));
            if (route) inside.add("route add default via " + n.gateway() + " dev " + ifName);
            Commands.ipBatchIn(req.netns(), inside);
            endpoints.put(id, e);
        } catch (IOException | RuntimeException ex) {
            if (linkExists(hostIf)) Commands.run(List.of("ip", "link", "del", hostIf), null);
            if (ex instanceof IOException io) throw new UncheckedIOException(io);
            throw (RuntimeException) ex;
        }
        registerNames(e);
        return new Attachment(id, n.id(), n.name(), ifName, e.ipv4(), e.prefix(), mac, n.gateway());
    }

    private void registerNames(EndpointRecord e) {
        networks0(e.networkId()).filter(NetworkRecord::internal).ifPresent(n -> resolver.internal(n.id()));
        List<String> names = new ArrayList<>();
        if (e.containerName() != null && !e.containerName().isEmpty()) names.add(e.containerName());
        names.addAll(e.aliases());
        resolver.register(e.containerId(), e.networkId(), e.ipv4(), names, e.upstreams());
    }

    /**
     * Detaches {@code containerId} from {@code network}: its ports are unpublished, names unregistered and the veth
     * deleted (which takes the peer inside the namespace with it). NOT_FOUND if it is not attached.
     */
    public synchronized void detach(String network, String containerId) {
        NetworkRecord n = get(network);
        EndpointRecord e = allEndpoints().stream()
                .filter(x -> x.networkId().equals(n.id()) && x.containerId().equals(containerId)).findFirst()
                .orElseThrow(() -> new NetworkException(NetworkException.Kind.NOT_FOUND,
                        "container " + containerId + " is not connected to network " + n.name()));
        unpublish(e.id());
        resolver.unregister(containerId, n.id());
        if (linkExists(e.hostIf())) {
            Commands.Result r = Commands.run(List.of("ip", "link", "del", e.hostIf()), null);
            if (!r.ok() && linkExists(e.hostIf())) {
                throw new NetworkException(NetworkException.Kind.UNAVAILABLE, "cannot delete " + e.hostIf() + ": " + r.err());
            }
        }
        try {
            endpoints.delete(e.id());
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        if (n.predefined() && endpoints(n.id()).isEmpty()) dematerialize(n);
    }

    /** The container's endpoints on all networks (sorted by endpoint id). */
    public synchronized List<EndpointRecord> endpointsOf(String containerId) {
        return allEndpoints().stream().filter(e -> e.containerId().equals(containerId)).toList();
    }

    private List<EndpointRecord> allEndpoints() {
        try {
            return List.copyOf(endpoints.readAll().records().values());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Optional<NetworkRecord> networks0(String id) {
        try {
            return networks.get(id);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The responder's name table; add names beyond the container name and aliases that attach registers. */
    public Resolver resolver() {
        return resolver;
    }

    // ---- ports ------------------------------------------------------------------------------------------------

    /**
     * Publishes {@code requests} for endpoint {@code endpointId} through the userland proxy, all or nothing: every
     * port is bound before any is served, and a port that cannot be bound (CONFLICT, naming its holder when it can
     * be found) releases the others. Returns the bindings with the ports actually bound; persisted, so the engine
     * binds them again after a restart.
     */
    public synchronized List<PortBinding> publish(String endpointId, List<PortBinding> requests) {
        EndpointRecord e;
        try {
            e = endpoints.get(endpointId).orElseThrow(() -> new NetworkException(NetworkException.Kind.NOT_FOUND, "endpoint " + endpointId + " not found"));
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        List<PortBinding> before = proxies.getOrDefault(endpointId, List.of()).stream().map(PortProxy::binding).toList();
        List<PortBinding> bound = bindAll(e, requests);
        List<PortBinding> all = new ArrayList<>(before);
        all.addAll(bound);
        try {
            ports.put(endpointId, new PortRecord(endpointId, all));
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return bound;
    }

    private List<PortBinding> bindAll(EndpointRecord e, List<PortBinding> requests) {
        List<PortProxy> got = new ArrayList<>();
        try {
            for (PortBinding b : requests) {
                got.add(PortProxy.bind(b, new InetSocketAddress(Ipv4.inet(Ipv4.parse(e.ipv4())), b.containerPort())));
            }
        } catch (RuntimeException ex) {
            got.forEach(PortProxy::close);
            throw ex;
        }
        got.forEach(PortProxy::start);
        proxies.computeIfAbsent(e.id(), k -> new ArrayList<>()).addAll(got);
        return got.stream().map(PortProxy::binding).toList();
    }

    /** Stops every published port of the endpoint; none is fine. */
    public synchronized void unpublish(String endpointId) {
        List<PortProxy> l = proxies.remove(endpointId);
        if (l != null) l.forEach(PortProxy::close);
        try {
            ports.delete(endpointId);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** The ports currently published for an endpoint. */
    public synchronized List<PortBinding> published(String endpointId) {
        return proxies.getOrDefault(endpointId, List.of()).stream().map(PortProxy::binding).toList();
    }

    // ---- files for the container ------------------------------------------------------------------------------

    /**
     * The resolv.conf for a container: on bridge networks our responder (the gateway of its first endpoint), with
     * {@code dns_search} and {@code dns_opt}; with no endpoint (host network) the host's nameservers. Its
     * {@code dns:} servers are not listed: they are our responder's upstreams for this container (see
     * {@link AttachRequest#dns()}), so service names still resolve.
     */
    public synchronized String resolvConf(String containerId, List<String> dnsSearch, List<String> dnsOpt) {
        StringBuilder b = new StringBuilder();
        List<EndpointRecord> eps = endpointsOf(containerId);
        if (eps.isEmpty()) {
            for (String ns : defaultUpstreams) b.append("nameserver ").append(ns).append('\n');
        } else {
            b.append("nameserver ").append(eps.get(0).gateway()).append('\n');
        }
        if (!dnsSearch.isEmpty()) b.append("search ").append(String.join(" ", dnsSearch)).append('\n');
        if (!dnsOpt.isEmpty()) b.append("options ").append(String.join(" ", dnsOpt)).append('\n');
        return b.toString();
    }

    /**
     * The /etc/hosts for a container: localhost lines always (without them every localhost probe goes to DNS),
     * its own addresses under its hostname, then {@code extra_hosts} ("name:ip" or "name=ip"; "host-gateway" is the
     * first endpoint's gateway).
     */
    public synchronized String hosts(String containerId, String hostname, List<String> extraHosts) {
        StringBuilder b = new StringBuilder("127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n");
        List<EndpointRecord> eps = endpointsOf(containerId);
        for (EndpointRecord e : eps) b.append(e.ipv4()).append('\t').append(hostname).append('\n');
        for (String h : extraHosts) {
            int sep = h.indexOf('=') >= 0 ? h.indexOf('=') : h.indexOf(':');
            if (sep < 0) throw new NetworkException(NetworkException.Kind.INVALID, "invalid extra host \"" + h + "\": use name:ip");
            String name = h.substring(0, sep);
            String ip = h.substring(sep + 1);
            if (ip.equals("host-gateway")) {
                if (eps.isEmpty()) throw new NetworkException(NetworkException.Kind.INVALID, "extra host " + name + ": host-gateway needs a bridge network");
                ip = eps.get(0).gateway();
            }
            b.append(ip).append('\t').append(name).append('\n');
        }
        return b.toString();
    }

    /** The short id in host-global names (bridges, veths, chains). */
    public String rootId() {
        return rootId;
    }

    String forwardChain() {
        return firewall.forwardChain();
    }

    /**
     * Stops the DNS responders and port proxies of this engine process. Bridges, veths and rules stay: containers
     * keep running while the engine restarts, and the next {@link #open} serves them again.
     */
    @Override
    public synchronized void close() {
        dns.values().forEach(DnsServer::close);
        dns.clear();
        proxies.values().forEach(l -> l.forEach(PortProxy::close));
        proxies.clear();
        pool.shutdownNow();
    }

    /** Removes every network (predefined included) after the caller detached all endpoints: for tests and uninstall. */
    public synchronized void destroyAll() {
        for (EndpointRecord e : allEndpoints()) detach(e.networkId(), e.containerId());
        for (NetworkRecord r : all()) {
            if (r.isBridge()) cleanupNetwork(r);
            else {
                try {
                    networks.delete(r.id());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        firewall.removeAll();
    }

    static boolean linkExists(String name) {
        return name != null && Files.exists(Path.of("/sys/class/net", name));
    }

    private static String newId() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
