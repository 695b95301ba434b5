package io.jcompose.project;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Stage 8: references (services, networks, volumes, secrets, configs), dependency cycles printed
 * {@code a -> b -> a} in a stable order, names, port/duration/byte syntax. Keys jcompose does not support yet
 * produce a located warning (never silently dropped).
 *
 * <p>Works on the canonical tree, and also accepts the short forms of a single file (list-form depends_on and
 * networks, short volumes, ports and secrets) so it can check files before canonicalisation too. Examples:
 * <pre>
 * compose.yaml:14:9: services.web.depends_on.db: unknown service "db" (defined: api, cache)
 * compose.yaml:22:7: services.api.depends_on.web: dependency cycle: api -> web -> api
 * compose.yaml:7:5: services.web.develop: develop/watch is not supported by jcompose; ignored   (a warning)
 * </pre>
 */
public final class SemanticValidator {

    /** Throws the first problem in document order; warnings go to {@code warnings}. */
    public void validate(Node canonical, Consumer<Warning> warnings) {
        List<ComposeFileException> problems = problems(canonical, warnings);
        if (!problems.isEmpty()) throw problems.get(0);
    }

    /** Every problem, in document order (file, line, column); warnings are passed on in document order too. */
    public List<ComposeFileException> problems(Node canonical, Consumer<Warning> warnings) {
        List<Warning> found = new ArrayList<>();
        Check c = new Check(Fields.of(canonical, ""), found::add);
        c.run();
        // Warnings too in document order, whichever check found them.
        found.sort(Comparator.comparing((Warning w) -> w.location().file()).thenComparingInt(w -> w.location().line())
                .thenComparingInt(w -> w.location().column()));
        found.forEach(warnings);
        List<ComposeFileException> out = new ArrayList<>(c.problems);
        out.sort(Comparator.comparing((ComposeFileException e) -> e.location().file())
                .thenComparingInt(e -> e.location().line()).thenComparingInt(e -> e.location().column()));
        return out;
    }

    private static final Pattern PORT_RANGE = Pattern.compile("\\d+(-\\d+)?");
    private static final Pattern SHORT_PORT = Pattern.compile(
            "^(?:(?:(?<ip>\\[[0-9a-fA-F:.]+\\]|[0-9.]+|[0-9a-fA-F:]+::?[0-9a-fA-F:]*):)?(?<published>\\d*(?:-\\d+)?):)?(?<target>\\d+(?:-\\d+)?)(?:/(?<proto>[a-z]+))?$");
    private static final Set<String> PROTOCOLS = Set.of("tcp", "udp", "sctp");

    /** One run over one tree. */
    private static final class Check {
        final Fields root;
        final Consumer<Warning> warnings;
        final List<ComposeFileException> problems = new ArrayList<>();
        final Map<String, Fields> services = new TreeMap<>();
        final Set<String> networks = new TreeSet<>();
        final Set<String> volumes = new TreeSet<>();
        final Set<String> secrets = new TreeSet<>();
        final Set<String> configs = new TreeSet<>();
        /** Dependency edges (explicit and implicit), with where each was first declared. */
        final Map<String, Map<String, Located>> edges = new TreeMap<>();

        record Located(Node at, String path) {}

        Check(Fields root, Consumer<Warning> warnings) {
            this.root = root;
            this.warnings = warnings;
        }

        void problem(Node at, String path, String message) {
            problems.add(new ComposeFileException(at.location(), path, message));
        }

        void run() {
            for (Node.Entry e : root.entries("services")) services.put(e.name(), Fields.of(e.value(), "services." + e.name()));
            for (Node.Entry e : root.entries("networks")) networks.add(e.name());
            networks.add("default"); // always there: the canonicaliser defines it, or Compose creates it implicitly
            for (Node.Entry e : root.entries("volumes")) volumes.add(e.name());
            for (Node.Entry e : root.entries("secrets")) secrets.add(e.name());
            for (Node.Entry e : root.entries("configs")) configs.add(e.name());
            root.string("name").filter(n -> !n.matches("[a-z0-9][a-z0-9_-]*")).ifPresent(n -> problem(root.node("name").get(), "name",
                    "\"" + n + "\" is not a valid project name: use only a-z, 0-9, '_' and '-', starting with a letter or digit"));
            unsupported(root.map, "", "");
            for (Node.Entry e : root.entries("services")) service(e);
            containerNames();
            cycles();
        }

        // ---- unsupported keys -------------------------------------------------------------------------------

        void unsupported(Node node, String pattern, String path) {
            if (node instanceof Node.Seq s) {
                for (int i = 0; i < s.items().size(); i++) unsupported(s.items().get(i), pattern + "[]", path + "[" + i + "]");
                return;
            }
            if (!(node instanceof Node.Mapping m)) return;
            for (Node.Entry e : m.entries()) {
                if (e.name().startsWith("x-")) continue;
                String childPath = path.isEmpty() ? e.name() : path + "." + e.name();
                Optional<String> child = Supported.child(pattern, e.name());
                if (child.isEmpty()) {
                    String own = pattern.isEmpty() ? e.name() : pattern + "." + e.name();
                    warnings.accept(new Warning(e.key().location(), childPath, Supported.reason(own)));
                } else if (Supported.of(child.get()) == Supported.Support.PARTLY) {
                    unsupported(e.value(), child.get(), childPath);
                }
            }
        }

        // ---- per service --------------------------------------------------------------------------------------

        void service(Node.Entry entry) {
            String name = entry.name();
            Fields f = services.get(name);
            if (f.has("provider")) {
                // Provider services run a plugin instead of a container; jcompose has no plugin mechanism, and
                // dropping the service would break whatever depends on it.
                problem(f.map.entry("provider").get().key(), f.at("provider"), "provider services are not supported by jcompose");
            } else if (!f.has("image") && !f.has("build")) {
                problem(entry.key(), f.path, "service \"" + name + "\" has neither an image nor a build context specified");
            }
            dependsOn(name, f);
            for (int i = 0; i < f.items("links").size(); i++) {
                Node item = f.items("links").get(i);
                String target = Fields.scalarText(item, f.at("links")).split(":", 2)[0];
                serviceRef(name, target, item, f.at("links") + "[" + i + "]", true);
            }
            for (int i = 0; i < f.items("volumes_from").size(); i++) {
                Node item = f.items("volumes_from").get(i);
                String v = Fields.scalarText(item, f.at("volumes_from"));
                if (v.startsWith("container:")) continue;
                serviceRef(name, v.split(":", 2)[0], item, f.at("volumes_from") + "[" + i + "]", true);
            }
            for (String key : List.of("network_mode", "ipc", "pid")) {
                Optional<String> v = f.string(key);
                if (v.isPresent() && v.get().startsWith("service:")) serviceRef(name, v.get().substring(8), f.node(key).get(), f.at(key), true);
            }
            // extends is normally resolved by now; a same-file leftover must at least name a real service.
            f.node("extends").ifPresent(x -> {
                if (x instanceof Node.Scalar s) serviceRef(name, s.text(), x, f.at("extends"), false);
                f.ifMapping("extends").filter(m -> !m.has("file") && m.string("service").isPresent())
                        .ifPresent(m -> serviceRef(name, m.string("service").get(), m.node("service").get(), m.at("service"), false));
            });
            serviceNetworks(f);
            serviceVolumes(f);
            references(f, "secrets", secrets, "secret");
            references(f, "configs", configs, "config");
            f.ifMapping("build").ifPresent(b -> references(b, "secrets", secrets, "secret"));
            ports(f);
            syntax(f);
            scale(f);
        }

        void dependsOn(String name, Fields f) {
            Optional<Node> n = f.node("depends_on");
            if (n.isEmpty()) return;
            if (n.get() instanceof Node.Seq s) {
                for (int i = 0; i < s.items().size(); i++) {
                    Node item = s.items().get(i);
                    serviceRef(name, Fields.scalarText(item, f.at("depends_on")), item, f.at("depends_on") + "[" + i + "]", true);
                }
                return;
            }
            for (Node.Entry e : f.entries("depends_on")) {
                String path = f.at("depends_on") + "." + e.name();
                Fields d = Fields.of(e.value(), path);
                if (!d.bool("required", true) && !services.containsKey(e.name())) {
                    warnings.accept(new Warning(e.key().location(), path, "optional dependency \"" + e.name() + "\" is not defined; ignored"));
                    continue;
                }
                serviceRef(name, e.name(), e.key(), path, true);
            }
        }

        void serviceRef(String from, String to, Node at, String path, boolean edge) {
            if (!services.containsKey(to)) {
                problem(at, path, "unknown service \"" + to + "\" (defined: " + String.join(", ", services.keySet()) + ")");
                return;
            }
            if (edge) edges.computeIfAbsent(from, k -> new TreeMap<>()).putIfAbsent(to, new Located(at, path));
        }

        void serviceNetworks(Fields f) {
            Optional<Node> n = f.node("networks");
            if (n.isEmpty()) return;
            if (n.get() instanceof Node.Seq s) {
                for (int i = 0; i < s.items().size(); i++) {
                    Node item = s.items().get(i);
                    resourceRef(Fields.scalarText(item, f.at("networks")), networks, "network", item, f.at("networks") + "[" + i + "]");
                }
            } else {
                for (Node.Entry e : f.entries("networks")) resourceRef(e.name(), networks, "network", e.key(), f.at("networks") + "." + e.name());
            }
            Optional<String> mode = f.string("network_mode");
            if (mode.isPresent() && !(n.get() instanceof Node.Mapping m && m.entries().isEmpty())) {
                problem(f.node("network_mode").get(), f.at("network_mode"),
                        "network_mode and networks cannot be combined; remove one of them");
            }
        }

        void serviceVolumes(Fields f) {
            List<Node> items = f.items("volumes");
            for (int i = 0; i < items.size(); i++) {
                Node item = items.get(i);
                String path = f.at("volumes") + "[" + i + "]";
                if (item instanceof Node.Mapping) {
                    Fields v = Fields.of(item, path);
                    String type = v.string("type").orElse("volume");
                    Optional<String> source = v.string("source").filter(s -> !s.isEmpty());
                    if (type.equals("volume") && source.isPresent()) resourceRef(source.get(), volumes, "volume", v.node("source").get(), v.at("source"));
                    Optional<Fields> tmpfs = v.ifMapping("tmpfs");
                    if (tmpfs.isPresent()) bytes(tmpfs.get(), "size");
                    if (v.string("target").filter(t -> !t.isEmpty()).isEmpty()) problem(item, path, "a volume needs a target");
                } else {
                    String spec = Fields.scalarText(item, path);
                    String[] parts = spec.split(":");
                    if (parts.length >= 2 && isVolumeName(parts[0])) resourceRef(parts[0], volumes, "volume", item, path);
                }
            }
        }

        /** Short syntax: a source that is not a path names a volume. */
        static boolean isVolumeName(String source) {
            return !source.isEmpty() && !source.startsWith("/") && !source.startsWith(".") && !source.startsWith("~")
                    && !source.startsWith("$") && !source.matches("^[a-zA-Z]:.*") && !source.startsWith("\\");
        }

        void references(Fields f, String key, Set<String> defined, String kind) {
            List<Node> items = f.items(key);
            for (int i = 0; i < items.size(); i++) {
                Node item = items.get(i);
                String path = f.at(key) + "[" + i + "]";
                if (item instanceof Node.Scalar s) {
                    resourceRef(s.text(), defined, kind, item, path);
                } else {
                    Fields r = Fields.of(item, path);
                    r.string("source").ifPresent(src -> resourceRef(src, defined, kind, r.node("source").get(), r.at("source")));
                }
            }
        }

        void resourceRef(String name, Set<String> defined, String kind, Node at, String path) {
            if (defined.contains(name)) return;
            List<String> shown = new ArrayList<>(defined);
            if (kind.equals("network") && !root.entries("networks").stream().anyMatch(e -> e.name().equals("default"))) shown.remove("default");
            problem(at, path, "unknown " + kind + " \"" + name + "\" (defined: " + (shown.isEmpty() ? "none" : String.join(", ", shown)) + ")");
        }

        // ---- syntax of values ---------------------------------------------------------------------------------

        void ports(Fields f) {
            List<Node> items = f.items("ports");
            for (int i = 0; i < items.size(); i++) {
                Node item = items.get(i);
                String path = f.at("ports") + "[" + i + "]";
                if (item instanceof Node.Mapping) {
                    Fields p = Fields.of(item, path);
                    p.node("target").ifPresent(t -> portRange(Fields.scalarText(t, p.at("target")), t, p.at("target")));
                    p.node("published").ifPresent(t -> {
                        String v = Fields.scalarText(t, p.at("published"));
                        if (!v.isEmpty()) portRange(v, t, p.at("published"));
                    });
                    p.string("protocol").filter(pr -> !PROTOCOLS.contains(pr.toLowerCase(java.util.Locale.ROOT)))
                            .ifPresent(pr -> problem(p.node("protocol").get(), p.at("protocol"), "unknown protocol \"" + pr + "\" (use tcp, udp or sctp)"));
                    p.string("host_ip").filter(ip -> !isIp(ip))
                            .ifPresent(ip -> problem(p.node("host_ip").get(), p.at("host_ip"), "\"" + ip + "\" is not an IP address"));
                } else {
                    String spec = Fields.scalarText(item, path);
                    var m = SHORT_PORT.matcher(spec);
                    if (!m.matches()) {
                        problem(item, path, "invalid port \"" + spec + "\" (write [[ip:]host:]container[/protocol], e.g. 127.0.0.1:8080:80/tcp)");
                        continue;
                    }
                    if (m.group("ip") != null && !isIp(m.group("ip"))) {
                        problem(item, path, "invalid port \"" + spec + "\": \"" + m.group("ip") + "\" is not an IP address");
                        continue;
                    }
                    if (m.group("published") != null && !m.group("published").isEmpty()) portRange(m.group("published"), item, path);
                    portRange(m.group("target"), item, path);
                    if (m.group("proto") != null && !PROTOCOLS.contains(m.group("proto"))) {
                        problem(item, path, "unknown protocol \"" + m.group("proto") + "\" (use tcp, udp or sctp)");
                    }
                }
            }
            List<Node> expose = f.items("expose");
            for (int i = 0; i < expose.size(); i++) {
                String v = Fields.scalarText(expose.get(i), f.at("expose"));
                String[] pp = v.split("/", 2);
                portRange(pp[0], expose.get(i), f.at("expose") + "[" + i + "]");
                if (pp.length == 2 && !PROTOCOLS.contains(pp[1])) problem(expose.get(i), f.at("expose") + "[" + i + "]", "unknown protocol \"" + pp[1] + "\"");
            }
        }

        void portRange(String text, Node at, String path) {
            String t = text.trim();
            if (!PORT_RANGE.matcher(t).matches()) {
                problem(at, path, "invalid port \"" + text + "\" (a number 1-65535 or a range like 8000-8010)");
                return;
            }
            String[] ends = t.split("-");
            long lo = portNumber(ends[0]);
            long hi = ends.length > 1 ? portNumber(ends[1]) : lo;
            if (lo < 1 || hi > 65535 || lo > 65535) {
                problem(at, path, "port " + text + " is out of range (1-65535)");
            } else if (hi < lo) {
                problem(at, path, "invalid port range \"" + text + "\": the end is before the start");
            }
        }

        /** Digits as a number; more than a long holds counts as Long.MAX_VALUE, which the range check reports. */
        private static long portNumber(String digits) {
            try {
                return Long.parseLong(digits);
            } catch (NumberFormatException e) {
                return Long.MAX_VALUE;
            }
        }

        /** An IPv4 or IPv6 literal; never a host name, so no name lookup can happen. */
        static boolean isIp(String s) {
            String t = s.startsWith("[") && s.endsWith("]") ? s.substring(1, s.length() - 1) : s;
            if (t.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
                for (String part : t.split("\\.")) if (Integer.parseInt(part) > 255) return false;
                return true;
            }
            if (!t.contains(":") || !t.matches("[0-9a-fA-F:.]+")) return false;
            try {
                InetAddress.getByName(t); // an IPv6 literal (contains ':'): parsed, never looked up
                return true;
            } catch (java.net.UnknownHostException e) {
                return false;
            }
        }

        void syntax(Fields f) {
            f.ifMapping("healthcheck").ifPresent(h -> {
                for (String k : List.of("interval", "timeout", "start_period", "start_interval")) duration(h, k);
            });
            duration(f, "stop_grace_period");
            for (String k : List.of("mem_limit", "mem_reservation", "shm_size")) bytes(f, k);
            f.string("memswap_limit").filter(v -> !v.trim().equals("-1")).ifPresent(v -> bytes(f, "memswap_limit"));
            f.ifMapping("build").ifPresent(b -> bytes(b, "shm_size"));
            f.ifMapping("deploy").ifPresent(d -> {
                d.ifMapping("resources").ifPresent(r -> {
                    r.ifMapping("limits").ifPresent(l -> bytes(l, "memory"));
                    r.ifMapping("reservations").ifPresent(l -> bytes(l, "memory"));
                });
                d.ifMapping("restart_policy").ifPresent(p -> {
                    duration(p, "delay");
                    duration(p, "window");
                });
                d.string("mode").filter(m -> !m.equals("replicated")).ifPresent(m -> warnings.accept(new Warning(
                        d.node("mode").get().location(), d.at("mode"), "deploy mode \"" + m + "\" is Swarm-only; running as replicated")));
            });
            f.string("restart").ifPresent(r -> {
                if (!r.matches("no|always|unless-stopped|on-failure(:\\d+)?")) {
                    problem(f.node("restart").get(), f.at("restart"), "\"" + r + "\" is not a restart policy (use no, always, on-failure[:N] or unless-stopped)");
                }
            });
        }

        void duration(Fields f, String key) {
            f.node(key).ifPresent(n -> {
                try {
                    Units.duration(Fields.scalarText(n, f.at(key)));
                } catch (IllegalArgumentException e) {
                    problem(n, f.at(key), e.getMessage());
                }
            });
        }

        void bytes(Fields f, String key) {
            f.node(key).ifPresent(n -> {
                try {
                    Units.bytes(Fields.scalarText(n, f.at(key)));
                } catch (IllegalArgumentException e) {
                    problem(n, f.at(key), e.getMessage());
                }
            });
        }

        void scale(Fields f) {
            Optional<Long> scale = f.integer("scale");
            Optional<Long> replicas = f.ifMapping("deploy").flatMap(d -> d.integer("replicas"));
            if (scale.isPresent() && replicas.isPresent() && !scale.equals(replicas)) {
                problem(f.node("scale").get(), f.at("scale"), "scale " + scale.get() + " and deploy.replicas " + replicas.get() + " differ; keep one of them");
            }
        }

        // ---- names --------------------------------------------------------------------------------------------

        void containerNames() {
            Map<String, String> owner = new HashMap<>();
            for (Map.Entry<String, Fields> s : services.entrySet()) {
                Fields f = s.getValue();
                Optional<String> cn = f.string("container_name");
                if (cn.isEmpty()) continue;
                Node at = f.node("container_name").get();
                long scale = f.integer("scale").or(() -> f.ifMapping("deploy").flatMap(d -> d.integer("replicas"))).orElse(1L);
                if (scale > 1) {
                    problem(at, f.at("container_name"), "container name \"" + cn.get() + "\" must be unique but the service has scale "
                            + scale + "; remove container_name or set scale to 1");
                }
                String other = owner.putIfAbsent(cn.get(), s.getKey());
                if (other != null) {
                    problem(at, f.at("container_name"), "container name \"" + cn.get() + "\" is already used by service \"" + other + "\"");
                }
            }
        }

        // ---- cycles -------------------------------------------------------------------------------------------

        /** Cycles found by a depth-first walk in name order (at least one per cyclic group), once each, rotated to start at the smallest name. */
        void cycles() {
            Set<String> done = new HashSet<>();
            Set<String> reported = new HashSet<>();
            for (String start : services.keySet()) walk(start, new ArrayList<>(), new HashSet<>(), done, reported);
        }

        void walk(String node, List<String> stack, Set<String> onStack, Set<String> done, Set<String> reported) {
            if (done.contains(node)) return;
            stack.add(node);
            onStack.add(node);
            for (String next : edges.getOrDefault(node, Map.of()).keySet()) {
                if (onStack.contains(next)) {
                    List<String> cycle = new ArrayList<>(stack.subList(stack.indexOf(next), stack.size()));
                    int min = cycle.indexOf(cycle.stream().min(String::compareTo).get());
                    List<String> rotated = new ArrayList<>(cycle.subList(min, cycle.size()));
                    rotated.addAll(cycle.subList(0, min));
                    rotated.add(rotated.get(0));
                    String text = String.join(" -> ", rotated);
                    if (reported.add(text)) {
                        Located at = edges.get(rotated.get(0)).get(rotated.get(1));
                        problem(at.at(), at.path(), "dependency cycle: " + text);
                    }
                } else {
                    walk(next, stack, onStack, done, reported);
                }
            }
            stack.remove(stack.size() - 1);
            onStack.remove(node);
            done.add(node);
        }
    }
}
