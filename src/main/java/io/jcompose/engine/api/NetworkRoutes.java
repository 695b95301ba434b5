package io.jcompose.engine.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.jcompose.engine.network.CreateRequest;
import io.jcompose.engine.network.EndpointHost;
import io.jcompose.engine.network.EndpointRecord;
import io.jcompose.engine.network.NetworkException;
import io.jcompose.engine.network.NetworkRecord;
import io.jcompose.engine.network.Networks;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Docker's /networks endpoints over {@link Networks}: create, list (filters name, id, driver, label, type), inspect
 * (Containers filled from the endpoints), remove, prune (filters label, until), connect and disconnect (through an
 * {@link EndpointHost}, which the container part provides).
 */
public final class NetworkRoutes {
    private final Networks networks;
    private final EndpointHost host;

    private NetworkRoutes(Networks networks, EndpointHost host) {
        this.networks = networks;
        this.host = host;
    }

    public static void register(Routes routes, Networks networks, EndpointHost host) {
        NetworkRoutes n = new NetworkRoutes(networks, host);
        routes.post("/networks/create", n::create)
                .get("/networks", n::list)
                .post("/networks/prune", n::prune)
                .get("/networks/{id}", n::inspect)
                .delete("/networks/{id}", n::remove)
                .post("/networks/{id}/connect", n::connect)
                .post("/networks/{id}/disconnect", n::disconnect);
    }

    /** The status Docker uses for each failure category. */
    static ApiException toApi(NetworkException e) {
        int status = switch (e.kind()) {
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case INVALID -> 400;
            case UNSUPPORTED -> 501;
            case UNAVAILABLE -> 500;
        };
        return new ApiException(status, e.getMessage(), e);
    }

    private void create(Request req, Response res) throws IOException {
        JsonNode b = req.json(JsonNode.class);
        String name = b.path("Name").asText("");
        if (name.isEmpty()) throw ApiException.invalid("network name is required (Name)");
        Optional<String> subnet = Optional.empty();
        Optional<String> gateway = Optional.empty();
        Optional<String> range = Optional.empty();
        JsonNode configs = b.path("IPAM").path("Config");
        if (configs.isArray() && configs.size() > 0) {
            if (configs.size() > 1) throw ApiException.invalid("network " + name + ": only one IPAM config is supported, got " + configs.size());
            JsonNode c = configs.get(0);
            subnet = text(c, "Subnet");
            gateway = text(c, "Gateway");
            range = text(c, "IPRange");
            if (subnet.isPresent() && subnet.get().contains(":")) {
                throw ApiException.invalid("network " + name + ": IPv6 subnets are not supported by the jcompose engine yet");
            }
        }
        try {
            NetworkRecord r = networks.create(new CreateRequest(name, b.path("Driver").asText("bridge"), b.path("Internal").asBoolean(),
                    b.path("Attachable").asBoolean(), stringMap(b.path("Labels")), stringMap(b.path("Options")), subnet, gateway, range,
                    b.path("EnableIPv6").asBoolean()));
            SortedMap<String, Object> out = new TreeMap<>();
            out.put("Id", r.id());
            out.put("Warning", "");
            res.json(201, out);
        } catch (NetworkException e) {
            throw toApi(e);
        }
    }

    private void list(Request req, Response res) throws IOException {
        Filters f = Filters.of(req);
        List<Object> out = new ArrayList<>();
        for (NetworkRecord r : networks.all()) {
            if (matches(f, r)) out.add(describe(r, false));
        }
        res.json(200, out);
    }

    static boolean matches(Filters f, NetworkRecord r) {
        if (!f.get("name").isEmpty() && f.get("name").stream().noneMatch(n -> r.name().contains(n))) return false;
        if (!f.get("id").isEmpty() && f.get("id").stream().noneMatch(i -> r.id().startsWith(i))) return false;
        if (!f.get("driver").isEmpty() && !f.get("driver").contains(r.driver())) return false;
        if (!f.get("scope").isEmpty() && !f.get("scope").contains("local")) return false;
        for (String t : f.get("type")) {
            if (t.equals("builtin") != r.predefined()) return false;
            if (!t.equals("builtin") && !t.equals("custom")) throw ApiException.invalid("invalid filter: 'type'='" + t + "'");
        }
        for (String k : f.values().keySet()) {
            if (!List.of("name", "id", "driver", "label", "scope", "type", "dangling", "until").contains(k)) {
                throw ApiException.invalid("invalid filter '" + k + "'");
            }
        }
        return f.matchesLabels(r.labels());
    }

    private void inspect(Request req, Response res) throws IOException {
        try {
            res.json(200, describe(networks.get(req.param("id")), true));
        } catch (NetworkException e) {
            throw toApi(e);
        }
    }

    private void remove(Request req, Response res) throws IOException {
        try {
            networks.remove(req.param("id"));
            res.empty(204);
        } catch (NetworkException e) {
            throw toApi(e);
        }
    }

    private void prune(Request req, Response res) throws IOException {
        Filters f = Filters.of(req);
        Predicate<NetworkRecord> p = r -> f.matchesLabels(r.labels());
        for (String u : f.get("until")) {
            Instant cut = until(u);
            p = p.and(r -> Instant.parse(r.created()).isBefore(cut));
        }
        try {
            SortedMap<String, Object> out = new TreeMap<>();
            out.put("NetworksDeleted", networks.prune(p));
            res.json(200, out);
        } catch (NetworkException e) {
            throw toApi(e);
        }
    }

    /** Docker's {@code until}: a Unix timestamp, an RFC 3339 time, or a duration like "10m" back from now. */
    static Instant until(String u) {
        try {
            if (u.matches("\\d+(\\.\\d+)?")) return Instant.ofEpochSecond((long) Double.parseDouble(u));
            if (u.matches("\\d+[smh]")) {
                long n = Long.parseLong(u.substring(0, u.length() - 1));
                Duration d = switch (u.charAt(u.length() - 1)) {
                    case 's' -> Duration.ofSeconds(n);
                    case 'm' -> Duration.ofMinutes(n);
                    default -> Duration.ofHours(n);
                };
                return Instant.now().minus(d);
            }
            return Instant.parse(u);
        } catch (RuntimeException e) {
            throw ApiException.invalid("invalid filter 'until=" + u + "': use a Unix time, an RFC 3339 time or a duration like 10m");
        }
    }

    private void connect(Request req, Response res) throws IOException {
        JsonNode b = req.json(JsonNode.class);
        String container = b.path("Container").asText("");
        if (container.isEmpty()) throw ApiException.invalid("Container is required");
        List<String> aliases = new ArrayList<>();
        b.path("EndpointConfig").path("Aliases").forEach(a -> aliases.add(a.asText()));
        Optional<String> ip = text(b.path("EndpointConfig").path("IPAMConfig"), "IPv4Address");
        if (text(b.path("EndpointConfig").path("IPAMConfig"), "IPv6Address").isPresent()) {
            // Silently dropping it would leave a service unreachable at the address its file names.
            throw ApiException.invalid("network connect " + container + ": IPv6Address (ipv6_address) is not supported by the jcompose engine yet;"
                    + " remove it or use --runtime docker");
        }
        try {
            host.connect(networks.get(req.param("id")), container, aliases, ip);
            res.empty(200);
        } catch (NetworkException e) {
            throw toApi(e);
        }
    }

    private void disconnect(Request req, Response res) throws IOException {
        JsonNode b = req.json(JsonNode.class);
        String container = b.path("Container").asText("");
        if (container.isEmpty()) throw ApiException.invalid("Container is required");
        try {
            host.disconnect(networks.get(req.param("id")), container, b.path("Force").asBoolean());
            res.empty(200);
        } catch (NetworkException e) {
            throw toApi(e);
        }
    }

    /** Docker's network JSON; Containers only on inspect, as dockerd ≥ 1.28 lists them. */
    private SortedMap<String, Object> describe(NetworkRecord r, boolean withContainers) {
        SortedMap<String, Object> m = new TreeMap<>();
        m.put("Name", r.name());
        m.put("Id", r.id());
        m.put("Created", r.created());
        m.put("Scope", "local");
        m.put("Driver", r.driver());
        m.put("EnableIPv6", false);
        SortedMap<String, Object> ipam = new TreeMap<>();
        ipam.put("Driver", "default");
        ipam.put("Options", null);
        List<Object> config = new ArrayList<>();
        if (r.subnet() != null) {
            SortedMap<String, Object> c = new TreeMap<>();
            c.put("Subnet", r.subnet());
            c.put("Gateway", r.gateway());
            if (!r.ipRange().equals(r.subnet())) c.put("IPRange", r.ipRange());
            config.add(c);
        }
        ipam.put("Config", config);
        m.put("IPAM", ipam);
        m.put("Internal", r.internal());
        m.put("Attachable", r.attachable());
        m.put("Ingress", false);
        m.put("ConfigFrom", Map.of("Network", ""));
        m.put("ConfigOnly", false);
        SortedMap<String, Object> containers = new TreeMap<>();
        if (withContainers) {
            for (EndpointRecord e : networks.endpoints(r.id())) {
                SortedMap<String, Object> c = new TreeMap<>();
                c.put("Name", e.containerName());
                c.put("EndpointID", e.id());
                c.put("MacAddress", e.mac());
                c.put("IPv4Address", e.ipv4() + "/" + e.prefix());
                c.put("IPv6Address", "");
                containers.put(e.containerId(), c);
            }
        }
        m.put("Containers", containers);
        SortedMap<String, String> options = new TreeMap<>(r.options());
        // Only the predefined bridge shows its Linux name (as Docker's "docker0"): docker-compose 1.29 compares a
        // user network's Options with the ones it asked for and insists on re-creating the network on any extra key.
        if (r.bridge() != null && r.predefined()) options.put("com.docker.network.bridge.name", r.bridge());
        m.put("Options", options);
        m.put("Labels", r.labels());
        return m;
    }

    private static Optional<String> text(JsonNode n, String field) {
        JsonNode v = n.path(field);
        return v.isTextual() && !v.asText().isEmpty() ? Optional.of(v.asText()) : Optional.empty();
    }

    private static SortedMap<String, String> stringMap(JsonNode n) {
        SortedMap<String, String> m = new TreeMap<>();
        if (n.isObject()) n.properties().forEach(e -> m.put(e.getKey(), e.getValue().asText()));
        return m;
    }
}
