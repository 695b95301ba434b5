package io.jcompose.engine.container;

import io.jcompose.engine.network.AttachRequest;
import io.jcompose.engine.network.EndpointRecord;
import io.jcompose.engine.network.NetworkException;
import io.jcompose.engine.network.NetworkRecord;
import io.jcompose.engine.network.Networks;
import io.jcompose.engine.network.PortBinding;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.logging.Logger;

/**
 * A container's side of networking: its network namespace, its endpoints on bridge networks, its published ports
 * and its /etc/hosts and resolv.conf. Every container except {@code host} gets a named namespace
 * {@code /run/netns/jc<rootId>-<id12>} (made before runc runs, so the veths exist before the process does, and named
 * so {@code container:<id>} can join it and the leak checker can see it); it lives while the container runs.
 *
 * <p>Network modes, as Docker: {@code default}/{@code bridge} → the predefined {@code bridge} network; a network
 * name or id → that network (plus {@code NetworkingConfig} aliases and static address); {@code none} → loopback
 * only; {@code host} → the host's namespace; {@code container:<ref>} → the other container's namespace (it must run).
 */
final class ContainerNetworks {
    private static final Logger LOG = Logger.getLogger(ContainerNetworks.class.getName());

    private final Networks networks;
    private final String rootId;

    ContainerNetworks(Networks networks, String rootId) {
        this.networks = networks;
        this.rootId = rootId;
    }

    Networks networks() {
        return networks;
    }

    /** The network mode's kind: "bridge" (joins networks), "none", "host" or "container". */
    static String kind(ContainerSpec.HostConfig h) {
        String m = h.networkMode();
        if (m.equals("host") || m.equals("none")) return m;
        if (m.startsWith("container:")) return "container";
        return "bridge";
    }

    /** The networks a new container joins: its mode's network first (it gets the default route), then the others. */
    SortedMap<String, ContainerRecord.NetworkConfig> plan(ContainerSpec spec) {
        SortedMap<String, ContainerRecord.NetworkConfig> out = new TreeMap<>();
        ContainerSpec.HostConfig h = spec.hostConfig();
        if (!kind(h).equals("bridge")) {
            if (!spec.networkingConfig().endpointsConfig().isEmpty() && !kind(h).equals("none")) {
                throw ContainerException.invalid("conflicting options: networks and the network mode " + h.networkMode());
            }
            return out;
        }
        String mode = h.networkMode().equals("default") ? "bridge" : h.networkMode();
        NetworkRecord primary = network(mode);
        Map<String, ContainerSpec.EndpointSettings> eps = spec.networkingConfig().endpointsConfig();
        for (Map.Entry<String, ContainerSpec.EndpointSettings> e : eps.entrySet()) {
            // The Docker CLI names the default network "default" here.
            NetworkRecord n = network(e.getKey().equals("default") ? "bridge" : e.getKey());
            if (!n.driver().equals("bridge")) throw ContainerException.invalid("container cannot be connected to network " + n.name() + " (" + n.driver() + ")");
            out.put(n.name(), new ContainerRecord.NetworkConfig(n.id(), e.getValue().aliases(), e.getValue().ipv4().orElse("")));
        }
        out.putIfAbsent(primary.name(), new ContainerRecord.NetworkConfig(primary.id(), List.of(), ""));
        return out;
    }

    /** The name of the network a container's mode names (its first network), or empty for host/none/container:. */
    Optional<String> primary(ContainerRecord r) {
        if (!kind(r.spec().hostConfig()).equals("bridge")) return Optional.empty();
        String mode = r.spec().hostConfig().networkMode();
        String m = mode.equals("default") ? "bridge" : mode;
        for (Map.Entry<String, ContainerRecord.NetworkConfig> e : r.networks().entrySet()) {
            if (e.getKey().equals(m) || e.getValue().networkId().equals(m) || e.getValue().networkId().startsWith(m)) return Optional.of(e.getKey());
        }
        return Optional.empty();
    }

    NetworkRecord network(String ref) {
        try {
            return networks.get(ref);
        } catch (NetworkException e) {
            if (e.kind() == NetworkException.Kind.NOT_FOUND) throw new ContainerException(ContainerException.Kind.NOT_FOUND, "network " + ref + " not found");
            throw ContainerException.invalid(e.getMessage());
        }
    }

    String netnsName(String containerId) {
        return "jc" + rootId + "-" + containerId.substring(0, 12);
    }

    Path netnsPath(String containerId) {
        return Path.of("/run/netns", netnsName(containerId));
    }

    /** The namespace a container's config.json joins: its own, or the other container's for container:; null for host. */
    String netnsFor(ContainerRecord r, java.util.function.Function<String, ContainerRecord> lookup) {
        ContainerSpec.HostConfig h = r.spec().hostConfig();
        return switch (kind(h)) {
            case "host" -> null;
            case "container" -> netnsPath(lookup.apply(h.networkMode().substring("container:".length())).id()).toString();
            default -> netnsPath(r.id()).toString();
        };
    }

    /**
     * Before runc runs: the namespace (with lo up), an endpoint on every network (mode's network first), the ports
     * published on the first endpoint, and the hosts/resolv.conf files rewritten in place. On failure everything
     * done so far is undone.
     */
    void setUp(ContainerRecord r, Path hostsFile, Path resolvFile, java.util.function.Function<String, ContainerRecord> lookup) throws IOException {
        ContainerSpec.HostConfig h = r.spec().hostConfig();
        String kind = kind(h);
        if (kind.equals("host")) return;
        if (kind.equals("container")) {
            ContainerRecord other = lookup.apply(h.networkMode().substring("container:".length()));
            if (!other.state().running() || !Files.exists(netnsPath(other.id()))) {
                throw ContainerException.conflict("cannot join network of a non running container: " + other.id());
            }
            // Docker shares the other container's files; a copy at start is what a joiner needs (its names).
            Path dir = hostsFile.getParent().getParent().resolve(other.id());
            if (Files.exists(dir.resolve("hosts"))) ContainerService.writeInPlace(hostsFile, Files.readString(dir.resolve("hosts")));
            if (Files.exists(dir.resolve("resolv.conf"))) ContainerService.writeInPlace(resolvFile, Files.readString(dir.resolve("resolv.conf")));
            return;
        }
        // A start interrupted by an engine crash may have left endpoints or a namespace (with a veth the network
        // part never recorded): the container is not running, so anything it holds is stale.
        if (!networks.endpointsOf(r.id()).isEmpty() || Files.exists(netnsPath(r.id()))) tearDown(r.id());
        try {
            createNetns(r.id());
            if (kind.equals("bridge")) {
                Optional<String> primary = primary(r);
                List<String> order = new ArrayList<>();
                primary.ifPresent(order::add);
                for (String n : r.networks().keySet()) if (!order.contains(n)) order.add(n);
                for (String n : order) attach(r, n, r.networks().get(n));
                publish(r);
                writeFiles(r, hostsFile, resolvFile);
            }
        } catch (RuntimeException | IOException e) {
            tearDown(r.id());
            if (e instanceof NetworkException ne) {
                throw new ContainerException(ne.kind() == NetworkException.Kind.CONFLICT ? ContainerException.Kind.CONFLICT
                        : ne.kind() == NetworkException.Kind.INVALID ? ContainerException.Kind.INVALID : ContainerException.Kind.INTERNAL,
                        ne.getMessage(), ne);
            }
            throw e;
        }
    }

    void attach(ContainerRecord r, String name, ContainerRecord.NetworkConfig c) {
        NetworkRecord n = network(c.networkId());
        List<String> aliases = new ArrayList<>(c.aliases());
        // Docker adds the short id as an alias on user networks; hostnames resolve like names.
        if (!n.predefined()) aliases.add(r.id().substring(0, 12));
        String hostname = SpecBuilder.hostname(r.spec(), r.id());
        if (!aliases.contains(hostname) && !hostname.equals(r.name())) aliases.add(hostname);
        networks.attach(new AttachRequest(n.id(), r.id(), r.name(), netnsPath(r.id()).toString(), aliases,
                c.ipv4Address().isEmpty() ? Optional.empty() : Optional.of(c.ipv4Address()), r.spec().hostConfig().dns()));
    }

    private void publish(ContainerRecord r) {
        List<PortBinding> reqs = bindings(r.spec());
        if (reqs.isEmpty()) return;
        List<EndpointRecord> eps = networks.endpointsOf(r.id());
        if (eps.isEmpty()) return;
        String primaryNet = primary(r).map(p -> r.networks().get(p).networkId()).orElse("");
        EndpointRecord first = eps.stream().filter(e -> e.networkId().equals(primaryNet)).findFirst().orElse(eps.get(0));
        networks.publish(first.id(), reqs);
    }

    /** {@code HostConfig.PortBindings} (plus every exposed port with PublishAllPorts) as publish requests. */
    static List<PortBinding> bindings(ContainerSpec spec) {
        List<PortBinding> out = new ArrayList<>();
        SortedMap<String, List<ContainerSpec.PortBinding>> pb = new TreeMap<>(spec.hostConfig().portBindings());
        if (Boolean.TRUE.equals(spec.hostConfig().publishAllPorts())) {
            for (String p : spec.exposedPorts().keySet()) pb.putIfAbsent(p, List.of(new ContainerSpec.PortBinding("", "")));
        }
        for (Map.Entry<String, List<ContainerSpec.PortBinding>> e : pb.entrySet()) {
            String[] pp = e.getKey().split("/", 2);
            String proto = pp.length > 1 ? pp[1] : "tcp";
            int port;
            try {
                port = Integer.parseInt(pp[0]);
            } catch (NumberFormatException x) {
                throw ContainerException.invalid("invalid port \"" + e.getKey() + "\" in PortBindings: use PORT/tcp or PORT/udp");
            }
            List<ContainerSpec.PortBinding> list = e.getValue() == null || e.getValue().isEmpty()
                    ? List.of(new ContainerSpec.PortBinding("", "")) : e.getValue();
            for (ContainerSpec.PortBinding b : list) {
                String hp = b.hostPort() == null ? "" : b.hostPort().trim();
                int lo = 0;
                int hi = 0;
                try {
                    if (!hp.isEmpty()) {
                        int dash = hp.indexOf('-');
                        lo = Integer.parseInt(dash < 0 ? hp : hp.substring(0, dash));
                        hi = dash < 0 ? lo : Integer.parseInt(hp.substring(dash + 1));
                    }
                    out.add(new PortBinding(proto, b.hostIp(), lo, hi, port));
                } catch (IllegalArgumentException x) {
                    throw ContainerException.invalid("invalid port binding " + e.getKey() + " → " + b.hostIp() + ":" + hp + ": " + x.getMessage());
                }
            }
        }
        return out;
    }

    /** /etc/hosts and resolv.conf from the container's endpoints, written in place (the container sees the change). */
    void writeFiles(ContainerRecord r, Path hostsFile, Path resolvFile) throws IOException {
        ContainerSpec.HostConfig h = r.spec().hostConfig();
        String hostname = SpecBuilder.hostname(r.spec(), r.id());
        String hosts = networks.hosts(r.id(), hostname, h.extraHosts());
        if (networks.endpointsOf(r.id()).isEmpty()) hosts += "127.0.1.1\t" + hostname + "\n";
        ContainerService.writeInPlace(hostsFile, hosts);
        if (!networks.endpointsOf(r.id()).isEmpty()) {
            String resolv = networks.resolvConf(r.id(), h.dnsSearch(), h.dnsOptions());
            ContainerService.writeInPlace(resolvFile, resolv);
        }
    }

    /** Endpoints (and their ports) detached, the namespace deleted; idempotent. */
    void tearDown(String containerId) {
        for (EndpointRecord e : networks.endpointsOf(containerId)) {
            try {
                networks.detach(e.networkId(), containerId);
            } catch (RuntimeException ex) {
                LOG.warning("detach " + containerId.substring(0, 12) + " from " + e.networkId().substring(0, 12) + ": " + ex.getMessage());
            }
        }
        Path ns = netnsPath(containerId);
        if (Files.exists(ns)) {
            try {
                Commands.Result res = Commands.exec(List.of("ip", "netns", "del", netnsName(containerId)));
                if (res.code() != 0) LOG.warning("ip netns del " + netnsName(containerId) + ": " + res.err().strip());
            } catch (IOException ex) {
                LOG.warning("ip netns del " + netnsName(containerId) + ": " + ex.getMessage());
            }
        }
    }

    private void createNetns(String containerId) throws IOException {
        String name = netnsName(containerId);
        Commands.run(List.of("ip", "netns", "add", name));
        Commands.run(List.of("ip", "-n", name, "link", "set", "lo", "up"));
    }

    /** Endpoints and namespaces of this root whose container is unknown (an engine killed mid-create): removed. */
    void removeOrphans(java.util.function.Predicate<String> knownShortId) {
        for (NetworkRecord n : networks.all()) {
            for (EndpointRecord e : networks.endpoints(n.id())) {
                if (e.containerId().length() >= 12 && !knownShortId.test(e.containerId().substring(0, 12))) {
                    LOG.info("removing endpoint of unknown container " + e.containerName() + " on " + n.name());
                    try {
                        networks.detach(n.id(), e.containerId());
                    } catch (RuntimeException ex) {
                        LOG.warning("cannot detach unknown container " + e.containerName() + ": " + ex.getMessage());
                    }
                }
            }
        }
        Path dir = Path.of("/run/netns");
        if (!Files.isDirectory(dir)) return;
        String prefix = "jc" + rootId + "-";
        try (var s = Files.list(dir)) {
            for (Path p : s.toList()) {
                String n = p.getFileName().toString();
                if (!n.startsWith(prefix) || knownShortId.test(n.substring(prefix.length()))) continue;
                LOG.info("removing network namespace " + n + " of an unknown container");
                Commands.exec(List.of("ip", "netns", "del", n));
            }
        } catch (IOException e) {
            LOG.warning("cannot scan " + dir + ": " + e.getMessage());
        }
    }
}
