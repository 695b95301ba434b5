package io.jcompose.runtime.docker;

import com.fasterxml.jackson.databind.JsonNode;
import io.jcompose.runtime.ContainerInfo;
import io.jcompose.runtime.ContainerState;
import io.jcompose.runtime.ContainerSummary;
import io.jcompose.runtime.EngineInfo;
import io.jcompose.runtime.Event;
import io.jcompose.runtime.Health;
import io.jcompose.runtime.ImageInfo;
import io.jcompose.runtime.NetworkInfo;
import io.jcompose.runtime.NetworkSpec;
import io.jcompose.runtime.PortBinding;
import io.jcompose.runtime.PullProgress;
import io.jcompose.runtime.VersionInfo;
import io.jcompose.runtime.VolumeInfo;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/** Docker Engine API response bodies → observed-state records. Missing fields become empty values. */
final class InfoJson {
    private InfoJson() {}

    static ContainerInfo container(JsonNode n) {
        JsonNode config = n.path("Config");
        SortedMap<String, String> env = new TreeMap<>();
        for (JsonNode e : config.path("Env")) {
            String s = e.asText();
            int eq = s.indexOf('=');
            if (eq > 0) env.put(s.substring(0, eq), s.substring(eq + 1));
            else env.put(s, "");
        }
        SortedMap<String, ContainerInfo.EndpointInfo> networks = new TreeMap<>();
        n.path("NetworkSettings").path("Networks").properties().forEach(e -> {
            JsonNode v = e.getValue();
            networks.put(e.getKey(), new ContainerInfo.EndpointInfo(text(v, "NetworkID"), text(v, "IPAddress"),
                    text(v, "GlobalIPv6Address"), text(v, "MacAddress"), strings(v.path("Aliases"))));
        });
        List<PortBinding> ports = new ArrayList<>();
        n.path("NetworkSettings").path("Ports").properties().forEach(e -> {
            String[] key = e.getKey().split("/");
            int port = Integer.parseInt(key[0]);
            String proto = key.length > 1 ? key[1] : "tcp";
            if (!e.getValue().isArray() || e.getValue().isEmpty()) {
                ports.add(PortBinding.exposed(port, proto));
            } else {
                for (JsonNode b : e.getValue()) {
                    ports.add(PortBinding.published(port, proto, text(b, "HostIp"), text(b, "HostPort")));
                }
            }
        });
        List<ContainerInfo.MountInfo> mounts = new ArrayList<>();
        for (JsonNode m : n.path("Mounts")) {
            mounts.add(new ContainerInfo.MountInfo(text(m, "Type"), text(m, "Name"), text(m, "Source"),
                    text(m, "Destination"), m.path("RW").asBoolean(true)));
        }
        return new ContainerInfo(text(n, "Id"), stripSlash(text(n, "Name")), text(config, "Image"), text(n, "Image"),
                time(text(n, "Created")), stringMap(config.path("Labels")), env, state(n.path("State")), networks,
                ports, mounts, n.path("RestartCount").asInt(0), config.path("Tty").asBoolean(false));
    }

    static ContainerState state(JsonNode s) {
        Optional<Health> health = Optional.empty();
        JsonNode h = s.path("Health");
        // Podman 4 reports {"Status": ""} for containers without a health check: that is no health check.
        if (h.isObject() && !text(h, "Status").isEmpty()) {
            List<Health.Probe> log = new ArrayList<>();
            for (JsonNode p : h.path("Log")) {
                log.add(new Health.Probe(time(text(p, "Start")), time(text(p, "End")), p.path("ExitCode").asInt(),
                        text(p, "Output")));
            }
            health = Optional.of(new Health(text(h, "Status"), h.path("FailingStreak").asInt(), log));
        }
        return new ContainerState(text(s, "Status"), s.path("Running").asBoolean(), s.path("Paused").asBoolean(),
                s.path("Restarting").asBoolean(), s.path("OOMKilled").asBoolean(), s.path("Dead").asBoolean(),
                s.path("Pid").asInt(), s.path("ExitCode").asInt(), text(s, "Error"), time(text(s, "StartedAt")),
                time(text(s, "FinishedAt")), health);
    }

    static ContainerSummary containerSummary(JsonNode n) {
        List<String> names = strings(n.path("Names"));
        String name = names.isEmpty() ? "" : stripSlash(names.get(0));
        return new ContainerSummary(text(n, "Id"), name, text(n, "Image"), text(n, "ImageID"),
                stringMap(n.path("Labels")), text(n, "State"), text(n, "Status"),
                n.has("Created") ? Instant.ofEpochSecond(n.path("Created").asLong()) : null);
    }

    static ImageInfo image(JsonNode n) {
        JsonNode c = n.path("Config");
        Instant created = n.path("Created").isNumber() ? Instant.ofEpochSecond(n.path("Created").asLong())
                : time(text(n, "Created"));
        JsonNode labels = c.isObject() ? c.path("Labels") : n.path("Labels");
        List<String> exposed = new ArrayList<>();
        c.path("ExposedPorts").fieldNames().forEachRemaining(exposed::add);
        return new ImageInfo(text(n, "Id"), strings(n.path("RepoTags")), strings(n.path("RepoDigests")), created,
                n.path("Size").asLong(), stringMap(labels), strings(c.path("Env")), optStrings(c.path("Entrypoint")),
                optStrings(c.path("Cmd")), text(c, "WorkingDir"), text(c, "User"), exposed);
    }

    static NetworkInfo network(JsonNode n) {
        List<NetworkSpec.IpamPool> pools = new ArrayList<>();
        for (JsonNode p : n.path("IPAM").path("Config")) {
            pools.add(new NetworkSpec.IpamPool(text(p, "Subnet"), text(p, "IPRange"), text(p, "Gateway"),
                    stringMap(p.path("AuxiliaryAddresses"))));
        }
        SortedMap<String, NetworkInfo.Member> members = new TreeMap<>();
        n.path("Containers").properties().forEach(e -> {
            JsonNode v = e.getValue();
            members.put(e.getKey(), new NetworkInfo.Member(text(v, "Name"), text(v, "IPv4Address"),
                    text(v, "IPv6Address"), text(v, "MacAddress")));
        });
        return new NetworkInfo(text(n, "Id"), text(n, "Name"), text(n, "Driver"), text(n, "Scope"),
                stringMap(n.path("Labels")), n.path("Internal").asBoolean(), n.path("Attachable").asBoolean(),
                n.path("EnableIPv6").asBoolean(), pools, stringMap(n.path("Options")), members,
                time(text(n, "Created")));
    }

    static VolumeInfo volume(JsonNode n) {
        return new VolumeInfo(text(n, "Name"), text(n, "Driver"), text(n, "Mountpoint"), stringMap(n.path("Labels")),
                stringMap(n.path("Options")), text(n, "Scope"), time(text(n, "CreatedAt")));
    }

    static Event event(JsonNode n) {
        JsonNode actor = n.path("Actor");
        Instant time = n.has("timeNano")
                ? Instant.ofEpochSecond(0, n.path("timeNano").asLong())
                : Instant.ofEpochSecond(n.path("time").asLong());
        String type = text(n, "Type");
        String action = text(n, "Action");
        return new Event(type, action.isEmpty() ? text(n, "status") : action,
                actor.has("ID") ? text(actor, "ID") : text(n, "id"), stringMap(actor.path("Attributes")), time);
    }

    static PullProgress progress(JsonNode n) {
        JsonNode d = n.path("progressDetail");
        return new PullProgress(text(n, "id"), text(n, "status"), d.path("current").asLong(), d.path("total").asLong());
    }

    static VersionInfo version(JsonNode n) {
        return new VersionInfo(text(n, "Version"), text(n, "ApiVersion"), text(n, "MinAPIVersion"), text(n, "Os"),
                text(n, "Arch"), text(n, "KernelVersion"));
    }

    static EngineInfo info(JsonNode n) {
        return new EngineInfo(text(n, "ID"), text(n, "Name"), text(n, "ServerVersion"), n.path("Containers").asInt(),
                n.path("ContainersRunning").asInt(), n.path("Images").asInt(), text(n, "Driver"),
                text(n, "CgroupVersion"), text(n, "OperatingSystem"), n.path("NCPU").asInt(),
                n.path("MemTotal").asLong());
    }

    static String text(JsonNode n, String field) {
        JsonNode v = n.path(field);
        return v.isValueNode() && !v.isNull() ? v.asText() : "";
    }

    static List<String> strings(JsonNode a) {
        List<String> out = new ArrayList<>();
        if (a.isArray()) a.forEach(v -> out.add(v.asText()));
        return out;
    }

    private static Optional<List<String>> optStrings(JsonNode a) {
        return a.isArray() ? Optional.of(strings(a)) : Optional.empty();
    }

    static SortedMap<String, String> stringMap(JsonNode o) {
        SortedMap<String, String> out = new TreeMap<>();
        if (o.isObject()) {
            for (Map.Entry<String, JsonNode> e : o.properties()) {
                out.put(e.getKey(), e.getValue().isNull() ? "" : e.getValue().asText());
            }
        }
        return out;
    }

    /** RFC 3339 with nanoseconds; Docker's zero time (year 1) and empty mean "never": null. */
    static Instant time(String s) {
        if (s == null || s.isEmpty() || s.startsWith("0001-01-01")) return null;
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String stripSlash(String name) {
        return name.startsWith("/") ? name.substring(1) : name;
    }
}
