package io.jcompose.project;

import io.jcompose.model.Build;
import io.jcompose.model.Config;
import io.jcompose.model.Dependency;
import io.jcompose.model.FileReference;
import io.jcompose.model.Healthcheck;
import io.jcompose.model.Hook;
import io.jcompose.model.Logging;
import io.jcompose.model.Mount;
import io.jcompose.model.Network;
import io.jcompose.model.NetworkAttachment;
import io.jcompose.model.Port;
import io.jcompose.model.Project;
import io.jcompose.model.Resources;
import io.jcompose.model.Restart;
import io.jcompose.model.Secret;
import io.jcompose.model.Service;
import io.jcompose.model.Tuning;
import io.jcompose.model.Ulimit;
import io.jcompose.model.Volume;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Stage 9: the canonical, validated tree to immutable {@code model} records.
 *
 * <p>Input is docker compose's canonical form (what {@code config} prints): long syntax for ports, volumes,
 * depends_on, networks, secrets/configs; mappings for environment and labels. A few short forms that need no
 * context are accepted as well (a command string is split like a shell would, {@code build: dir},
 * {@code healthcheck.test: "cmd"}, list-form environment/labels/depends_on/networks), so binding never depends on how
 * thorough the canonicaliser was. Anything else in the wrong shape is a located {@link ComposeFileException}.
 * {@code x-*} keys are kept as compact JSON with sorted keys.
 */
public final class Binder {

    /** Binds with the working directory the tree does not carry: the current directory. Prefer {@link #bind(Node, Path)}. */
    public Project bind(Node canonical) {
        return bind(canonical, Path.of("").toAbsolutePath());
    }

    /** {@code workingDir}: the project directory (absolute), recorded in the model and in container labels. */
    public Project bind(Node canonical, Path workingDir) {
        Fields root = Fields.of(canonical, "");
        String name = root.string("name").orElseThrow(() -> Fields.error(canonical, "name", "the project has no name (the loader sets it)"));
        Map<String, Service> services = new TreeMap<>();
        for (Node.Entry e : root.entries("services")) services.put(e.name(), service(e, name));
        Map<String, Network> networks = new TreeMap<>();
        for (Node.Entry e : root.entries("networks")) networks.put(e.name(), network(e, name));
        Map<String, Volume> volumes = new TreeMap<>();
        for (Node.Entry e : root.entries("volumes")) volumes.put(e.name(), volume(e, name));
        Map<String, Secret> secrets = new TreeMap<>();
        for (Node.Entry e : root.entries("secrets")) secrets.put(e.name(), secret(e, name));
        Map<String, Config> configs = new TreeMap<>();
        for (Node.Entry e : root.entries("configs")) configs.put(e.name(), config(e, name));
        return new Project(name, workingDir.toAbsolutePath(), new TreeMap<>(services), new TreeMap<>(networks), new TreeMap<>(volumes),
                new TreeMap<>(secrets), new TreeMap<>(configs), extensions(root));
    }

    private Service service(Node.Entry entry, String project) {
        String name = entry.name();
        Fields f = Fields.of(entry.value(), "services." + name);
        Optional<String> image = f.string("image");
        Optional<Build> build = f.node("build").map(n -> build(n, f.at("build")));
        if (image.isEmpty() && build.isEmpty()) {
            throw new ComposeFileException(entry.key().location(), f.path, "service \"" + name + "\" has neither an image nor a build context specified");
        }
        Optional<Fields> deploy = f.mapping("deploy");
        Optional<Fields> resources = deploy.flatMap(d -> d.mapping("resources"));
        Optional<String> containerName = f.string("container_name");
        int scale = scale(f, deploy);
        if (containerName.isPresent() && scale > 1) {
            throw Fields.error(f.node("container_name").get(), f.at("container_name"),
                    "container name \"" + containerName.get() + "\" must be unique but the service has scale " + scale
                            + "; remove container_name or set scale to 1");
        }
        TreeMap<String, Optional<String>> environment = new TreeMap<>(f.dict("environment"));
        try {
            return new Service(
                    name, image, build, f.string("pull_policy"), f.string("platform"),
                    command(f, "command"), command(f, "entrypoint"),
                    f.string("working_dir"), f.string("user"), environment, f.stringMap("labels"), f.stringMap("annotations"),
                    ports(f), f.strings("expose"), mounts(f), f.strings("volumes_from"), f.strings("tmpfs"),
                    attachments(f), f.string("network_mode"), f.strings("links"), f.strings("external_links"),
                    dependencies(f), healthcheck(f), restart(f, deploy), scale,
                    new Resources(
                            resources.flatMap(r -> r.mapping("limits")).flatMap(l -> l.number("cpus", MAX_CPUS)).or(() -> f.number("cpus", MAX_CPUS)),
                            resources.flatMap(r -> r.mapping("limits")).flatMap(l -> l.bytes("memory")).or(() -> f.bytes("mem_limit")),
                            memswap(f),
                            resources.flatMap(r -> r.mapping("limits")).flatMap(l -> l.integer("pids")).or(() -> f.integer("pids_limit"))),
                    new Resources(
                            resources.flatMap(r -> r.mapping("reservations")).flatMap(l -> l.number("cpus", MAX_CPUS)),
                            resources.flatMap(r -> r.mapping("reservations")).flatMap(l -> l.bytes("memory")).or(() -> f.bytes("mem_reservation")),
                            Optional.empty(), Optional.empty()),
                    f.string("hostname"), f.string("domainname"), f.string("mac_address"),
                    f.strings("dns"), f.strings("dns_search"), f.strings("dns_opt"), extraHosts(f, "extra_hosts"),
                    f.strings("cap_add"), f.strings("cap_drop"), f.bool("privileged", false), f.bool("read_only", false),
                    f.optBool("init"), f.strings("security_opt"), ulimits(f), f.stringMap("sysctls"), f.bytes("shm_size"),
                    f.string("stop_signal"), f.duration("stop_grace_period"), f.string("ipc"), f.string("pid"), f.string("uts"),
                    f.string("userns_mode"), f.string("cgroup"), f.string("cgroup_parent"), f.strings("group_add"),
                    devices(f), f.int32("oom_score_adj"), f.string("runtime"),
                    new Tuning(f.integer("cpu_shares"), f.integer("cpu_quota"), f.integer("cpu_period"), f.string("cpuset"),
                            f.int32("mem_swappiness"), f.bool("oom_kill_disable", false), f.strings("device_cgroup_rules"),
                            f.stringMap("storage_opt")),
                    f.bool("tty", false), f.bool("stdin_open", false), f.bool("attach", true),
                    f.mapping("logging").map(l -> new Logging(l.string("driver"), l.stringMap("options"))),
                    fileReferences(f, "secrets"), fileReferences(f, "configs"), hooks(f, "post_start"), hooks(f, "pre_stop"),
                    f.strings("profiles"), containerName, extensions(f));
        } catch (IllegalArgumentException e) {
            throw new ComposeFileException(entry.key().location(), f.path, e.getMessage());
        }
    }

    /** {@code scale} and {@code deploy.replicas} must agree when both are set (as in docker compose). */
    private static int scale(Fields f, Optional<Fields> deploy) {
        Optional<Long> scale = f.integer("scale");
        Optional<Long> replicas = deploy.flatMap(d -> d.integer("replicas"));
        if (scale.isPresent() && replicas.isPresent() && !scale.equals(replicas)) {
            throw Fields.error(f.node("scale").get(), f.at("scale"),
                    "scale " + scale.get() + " and deploy.replicas " + replicas.get() + " differ; keep one of them");
        }
        long n = scale.or(() -> replicas).orElse(1L);
        if (n < 0 || n > Integer.MAX_VALUE) throw Fields.error(f.node(scale.isPresent() ? "scale" : "deploy").get(), f.at("scale"), "scale must be >= 0, got " + n);
        return (int) n;
    }

    private static Optional<Long> memswap(Fields f) {
        return f.node("memswap_limit").map(n -> {
            String t = Fields.scalarText(n, f.at("memswap_limit")).trim();
            return t.equals("-1") ? -1L : f.bytes("memswap_limit").get();
        });
    }

    private static Optional<List<String>> command(Fields f, String key) {
        Optional<Node> n = f.map.get(key);
        if (n.isEmpty() || (n.get() instanceof Node.Scalar s && s.isNull())) return Optional.empty();
        if (n.get() instanceof Node.Scalar s) return Optional.of(ShellWords.split(s.text(), s.location(), f.at(key)));
        return Optional.of(f.strings(key));
    }

    private static Build build(Node n, String path) {
        if (n instanceof Node.Scalar s) {
            return new Build(s.text(), Optional.empty(), Optional.empty(), new TreeMap<>(), Optional.empty(), new TreeMap<>(), List.of(),
                    List.of(), false, false, Optional.empty(), new TreeMap<>(), List.of(), List.of(), List.of(), Optional.empty(), List.of(),
                    List.of(), false, Optional.empty(), new TreeMap<>(), List.of());
        }
        Fields b = Fields.of(n, path);
        return new Build(b.string("context").orElse("."), b.string("dockerfile"), b.string("dockerfile_inline"),
                new TreeMap<>(b.dict("args")), b.string("target"), b.stringMap("labels"), b.strings("cache_from"), b.strings("cache_to"),
                b.bool("no_cache", false), b.bool("pull", false), b.string("network"), b.stringMap("additional_contexts"),
                b.strings("tags"), b.strings("platforms"), extraHosts(b, "extra_hosts"), b.bytes("shm_size"), sshList(b),
                fileReferences(b, "secrets"), b.bool("privileged", false), b.string("isolation"), ulimits(b), b.strings("entitlements"));
    }

    /** build.ssh: {@code [default, key=path]} or a mapping. */
    private static List<String> sshList(Fields b) {
        if (b.node("ssh").orElse(null) instanceof Node.Mapping) {
            List<String> out = new ArrayList<>();
            b.dict("ssh").forEach((k, v) -> out.add(v.map(x -> k + "=" + x).orElse(k)));
            return out;
        }
        return b.strings("ssh");
    }

    private static List<Port> ports(Fields f) {
        List<Port> out = new ArrayList<>();
        List<Node> items = f.items("ports");
        for (int i = 0; i < items.size(); i++) {
            String path = f.at("ports") + "[" + i + "]";
            Node item = items.get(i);
            if (!(item instanceof Node.Mapping)) throw Fields.error(item, path, "expected the long syntax (target, published, …); the loader did not canonicalise this port");
            Fields p = Fields.of(item, path);
            int target = p.int32("target").orElseThrow(() -> Fields.error(item, path, "a port needs a target"));
            try {
                out.add(new Port(target, p.string("published").filter(s -> !s.isEmpty()), p.string("host_ip"),
                        p.string("protocol").orElse("tcp"), p.string("mode").orElse("ingress"), p.string("name"), p.string("app_protocol")));
            } catch (IllegalArgumentException e) {
                throw Fields.error(item, path, e.getMessage());
            }
        }
        return out;
    }

    private static List<Mount> mounts(Fields f) {
        List<Mount> out = new ArrayList<>();
        List<Node> items = f.items("volumes");
        for (int i = 0; i < items.size(); i++) {
            String path = f.at("volumes") + "[" + i + "]";
            Node item = items.get(i);
            if (!(item instanceof Node.Mapping)) throw Fields.error(item, path, "expected the long syntax (type, source, target); the loader did not canonicalise this volume");
            Fields v = Fields.of(item, path);
            Optional<Fields> bind = v.mapping("bind");
            Optional<Fields> vol = v.mapping("volume");
            Optional<Fields> tmpfs = v.mapping("tmpfs");
            Optional<Fields> image = v.mapping("image");
            try {
                out.add(new Mount(Mount.Type.of(v.string("type").orElse("volume")), v.string("source").filter(s -> !s.isEmpty()),
                        v.string("target").orElseThrow(() -> Fields.error(item, path, "a volume needs a target")),
                        v.bool("read_only", false), v.string("consistency"),
                        bind.flatMap(b -> b.string("propagation")), bind.map(b -> b.bool("create_host_path", false)).orElse(false),
                        bind.flatMap(b -> b.string("selinux")),
                        vol.map(x -> x.bool("nocopy", false)).orElse(false),
                        vol.flatMap(x -> x.string("subpath")).or(() -> image.flatMap(x -> x.string("subpath"))),
                        tmpfs.flatMap(t -> t.bytes("size")), tmpfs.flatMap(t -> t.int32("mode"))));
            } catch (IllegalArgumentException e) {
                throw Fields.error(item, path, e.getMessage());
            }
        }
        return out;
    }

    private static TreeMap<String, NetworkAttachment> attachments(Fields f) {
        TreeMap<String, NetworkAttachment> out = new TreeMap<>();
        Optional<Node> n = f.node("networks");
        if (n.isEmpty()) return out;
        if (n.get() instanceof Node.Seq) {
            for (String name : f.strings("networks")) out.put(name, NetworkAttachment.plain());
            return out;
        }
        for (Node.Entry e : f.entries("networks")) {
            Fields a = Fields.of(e.value(), f.at("networks") + "." + e.name());
            out.put(e.name(), new NetworkAttachment(a.strings("aliases"), a.string("ipv4_address"), a.string("ipv6_address"),
                    a.strings("link_local_ips"), a.string("mac_address"), a.stringMap("driver_opts"),
                    a.int32("priority").orElse(0), a.int32("gw_priority").orElse(0), a.string("interface_name")));
        }
        return out;
    }

    private static TreeMap<String, Dependency> dependencies(Fields f) {
        TreeMap<String, Dependency> out = new TreeMap<>();
        Optional<Node> n = f.node("depends_on");
        if (n.isEmpty()) return out;
        if (n.get() instanceof Node.Seq) {
            for (String name : f.strings("depends_on")) out.put(name, new Dependency(Dependency.Condition.SERVICE_STARTED, true, false));
            return out;
        }
        for (Node.Entry e : f.entries("depends_on")) {
            Fields d = Fields.of(e.value(), f.at("depends_on") + "." + e.name());
            String condition = d.string("condition").orElse("service_started");
            try {
                out.put(e.name(), new Dependency(Dependency.Condition.of(condition), d.bool("required", true), d.bool("restart", false)));
            } catch (IllegalArgumentException ex) {
                throw Fields.error(d.node("condition").orElse(e.value()), d.at("condition"), ex.getMessage());
            }
        }
        return out;
    }

    private static Optional<Healthcheck> healthcheck(Fields f) {
        return f.mapping("healthcheck").map(h -> {
            List<String> test;
            Optional<Node> t = h.node("test");
            if (t.isPresent() && t.get() instanceof Node.Scalar s) {
                test = s.text().equals("NONE") ? List.of("NONE") : List.of("CMD-SHELL", s.text());
            } else {
                test = h.strings("test");
            }
            boolean disabled = h.bool("disable", false) || (!test.isEmpty() && test.get(0).equals("NONE"));
            try {
                return new Healthcheck(test, h.duration("interval"), h.duration("timeout"), h.int32("retries"),
                        h.duration("start_period"), h.duration("start_interval"), disabled);
            } catch (IllegalArgumentException e) {
                throw Fields.error(t.orElse(h.map), h.at("test"), e.getMessage());
            }
        });
    }

    /** {@code deploy.restart_policy} wins when set, mapped as docker compose maps it (any → always, none → no). */
    private static Restart restart(Fields f, Optional<Fields> deploy) {
        Optional<Fields> policy = deploy.flatMap(d -> d.mapping("restart_policy"));
        if (policy.isPresent()) {
            Fields p = policy.get();
            int attempts = p.int32("max_attempts").orElse(0);
            return switch (p.string("condition").orElse("any")) {
                case "none" -> Restart.NO;
                case "on-failure" -> new Restart(Restart.Policy.ON_FAILURE, attempts);
                default -> new Restart(Restart.Policy.ALWAYS, 0);
            };
        }
        Optional<String> r = f.string("restart");
        if (r.isEmpty()) return Restart.NO;
        String v = r.get();
        if (v.equals("no")) return Restart.NO;
        if (v.equals("always")) return new Restart(Restart.Policy.ALWAYS, 0);
        if (v.equals("unless-stopped")) return new Restart(Restart.Policy.UNLESS_STOPPED, 0);
        if (v.equals("on-failure")) return new Restart(Restart.Policy.ON_FAILURE, 0);
        if (v.startsWith("on-failure:")) {
            try {
                return new Restart(Restart.Policy.ON_FAILURE, Integer.parseInt(v.substring("on-failure:".length())));
            } catch (IllegalArgumentException e) {
                // falls through to the error below
            }
        }
        throw Fields.error(f.node("restart").get(), f.at("restart"),
                "\"" + v + "\" is not a restart policy (use no, always, on-failure[:N] or unless-stopped)");
    }

    /** {@code host:ip} lines, from a list ({@code host:ip} or {@code host=ip}) or a mapping (value: one ip or a list). */
    private static List<String> extraHosts(Fields f, String key) {
        List<String> out = new ArrayList<>();
        Optional<Node> n = f.node(key);
        if (n.isEmpty()) return out;
        if (n.get() instanceof Node.Mapping m) {
            for (Node.Entry e : m.entries()) {
                if (e.value() instanceof Node.Seq s) for (Node ip : s.items()) out.add(e.name() + ":" + Fields.scalarText(ip, f.at(key)));
                else out.add(e.name() + ":" + Fields.scalarText(e.value(), f.at(key) + "." + e.name()));
            }
            return out;
        }
        for (String line : f.strings(key)) {
            int eq = line.indexOf('=');
            out.add(eq > 0 ? line.substring(0, eq) + ":" + line.substring(eq + 1) : line);
        }
        return out;
    }

    /** The engine API takes NanoCpus, an int64: more CPUs than that holds cannot be asked for. */
    static final double MAX_CPUS = Long.MAX_VALUE / 1e9;

    private static TreeMap<String, Ulimit> ulimits(Fields f) {
        TreeMap<String, Ulimit> out = new TreeMap<>();
        for (Node.Entry e : f.entries("ulimits")) {
            String path = f.at("ulimits") + "." + e.name();
            try {
                if (e.value() instanceof Node.Mapping) {
                    Fields u = Fields.of(e.value(), path);
                    out.put(e.name(), new Ulimit(u.integer("soft").orElseThrow(() -> Fields.error(e.value(), path, "soft is missing")),
                            u.integer("hard").orElseThrow(() -> Fields.error(e.value(), path, "hard is missing"))));
                } else {
                    var v = LocatedJson.parseInt(Fields.scalarText(e.value(), path).trim());
                    if (v == null) throw Fields.error(e.value(), path, "must be an integer or {soft, hard}");
                    if (v.bitLength() >= 64) throw Fields.error(e.value(), path, "\"" + v + "\" is out of range (a 64-bit integer)");
                    out.put(e.name(), new Ulimit(v.longValue(), v.longValue()));
                }
            } catch (IllegalArgumentException ex) {
                throw Fields.error(e.value(), path, ex.getMessage());
            }
        }
        return out;
    }

    /** devices: short strings kept; long form ({@code source, target, permissions}) written as {@code source:target:perm}. */
    private static List<String> devices(Fields f) {
        List<String> out = new ArrayList<>();
        List<Node> items = f.items("devices");
        for (int i = 0; i < items.size(); i++) {
            Node item = items.get(i);
            String path = f.at("devices") + "[" + i + "]";
            if (item instanceof Node.Mapping) {
                Fields d = Fields.of(item, path);
                String source = d.string("source").orElseThrow(() -> Fields.error(item, path, "a device needs a source"));
                out.add(source + ":" + d.string("target").orElse(source) + d.string("permissions").map(p -> ":" + p).orElse(""));
            } else {
                out.add(Fields.scalarText(item, path));
            }
        }
        return out;
    }

    private static List<FileReference> fileReferences(Fields f, String key) {
        List<FileReference> out = new ArrayList<>();
        List<Node> items = f.items(key);
        for (int i = 0; i < items.size(); i++) {
            Node item = items.get(i);
            String path = f.at(key) + "[" + i + "]";
            if (item instanceof Node.Scalar s) {
                out.add(new FileReference(s.text(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty()));
                continue;
            }
            Fields r = Fields.of(item, path);
            Optional<Integer> mode = r.node("mode").map(m -> {
                String t = Fields.scalarText(m, r.at("mode")).trim();
                try {
                    // A string mode is octal ("0440"), as in docker compose; so is a number written with a leading 0
                    // (Go's YAML reads 0440 as octal 288, where YAML 1.2 would say 440); other numbers as written.
                    if (m instanceof Node.Scalar sc && sc.kind() == Node.Kind.STRING || t.matches("0[0-7]+")) return Integer.parseInt(t, 8);
                    return LocatedJson.parseInt(t).intValueExact();
                } catch (RuntimeException e) {
                    throw Fields.error(m, r.at("mode"), "\"" + t + "\" is not a file mode");
                }
            });
            out.add(new FileReference(r.string("source").orElseThrow(() -> Fields.error(item, path, "source is missing")),
                    r.string("target"), r.string("uid"), r.string("gid"), mode));
        }
        return out;
    }

    private static List<Hook> hooks(Fields f, String key) {
        List<Hook> out = new ArrayList<>();
        List<Node> items = f.items(key);
        for (int i = 0; i < items.size(); i++) {
            Fields h = Fields.of(items.get(i), f.at(key) + "[" + i + "]");
            List<String> cmd = command(h, "command").orElseThrow(() -> Fields.error(h.map, h.path, "a hook needs a command"));
            try {
                out.add(new Hook(cmd, h.string("user"), h.bool("privileged", false), h.string("working_dir"), h.stringMap("environment")));
            } catch (IllegalArgumentException e) {
                throw Fields.error(h.map, h.path, e.getMessage());
            }
        }
        return out;
    }

    private static Network network(Node.Entry e, String project) {
        Fields n = Fields.of(e.value(), "networks." + e.name());
        boolean external = external(n);
        String name = n.string("name").orElse(external ? e.name() : project + "_" + e.name());
        Optional<Network.Ipam> ipam = n.mapping("ipam").map(i -> {
            List<Network.Pool> pools = new ArrayList<>();
            List<Node> items = i.items("config");
            for (int k = 0; k < items.size(); k++) {
                Fields p = Fields.of(items.get(k), i.at("config") + "[" + k + "]");
                pools.add(new Network.Pool(p.string("subnet"), p.string("ip_range"), p.string("gateway"), p.stringMap("aux_addresses")));
            }
            return new Network.Ipam(i.string("driver"), pools, i.stringMap("options"));
        });
        return new Network(e.name(), name, n.string("driver"), n.stringMap("driver_opts"), external, n.bool("internal", false),
                n.bool("attachable", false), n.optBool("enable_ipv4"), n.optBool("enable_ipv6"), ipam, n.stringMap("labels"), extensions(n));
    }

    private static Volume volume(Node.Entry e, String project) {
        Fields v = Fields.of(e.value(), "volumes." + e.name());
        boolean external = external(v);
        String name = v.string("name").orElse(external ? e.name() : project + "_" + e.name());
        return new Volume(e.name(), name, v.string("driver"), v.stringMap("driver_opts"), external, v.stringMap("labels"), extensions(v));
    }

    private static Secret secret(Node.Entry e, String project) {
        Fields s = Fields.of(e.value(), "secrets." + e.name());
        boolean external = external(s);
        String name = s.string("name").orElse(external ? e.name() : project + "_" + e.name());
        return new Secret(e.name(), name, s.string("file"), s.string("environment"), s.string("content"), external,
                s.stringMap("labels"), s.string("driver"), s.stringMap("driver_opts"), s.string("template_driver"), extensions(s));
    }

    private static Config config(Node.Entry e, String project) {
        Fields c = Fields.of(e.value(), "configs." + e.name());
        boolean external = external(c);
        String name = c.string("name").orElse(external ? e.name() : project + "_" + e.name());
        return new Config(e.name(), name, c.string("file"), c.string("environment"), c.string("content"), external,
                c.stringMap("labels"), c.string("template_driver"), extensions(c));
    }

    /** {@code external: true}, or the legacy {@code external: {name: x}} (whose name the canonicaliser moves up). */
    private static boolean external(Fields f) {
        Optional<Node> n = f.node("external");
        if (n.isEmpty()) return false;
        if (n.get() instanceof Node.Mapping) return true;
        return f.bool("external", false);
    }

    private static TreeMap<String, String> extensions(Fields f) {
        TreeMap<String, String> out = new TreeMap<>();
        for (Node.Entry e : f.map.entries()) if (e.name().startsWith("x-")) out.put(e.name(), CompactJson.of(e.value()));
        return out;
    }
}
