package io.jcompose.project;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Stage 6: every short syntax expanded to the long one (ports, volumes, depends_on, networks, environment,
 * build, durations …), defaults applied (default network, {@code <project>_<name>} resource names, external
 * names kept), relative paths resolved against the project directory, env_file read into environment,
 * implicit dependencies recorded. The output is docker compose's canonical form.
 *
 * <p>Worked example ({@code name: demo}, project directory {@code /src}):
 * <pre>
 * services:                          services:
 *   web:                               web:
 *     build: .                           build: {context: /src, dockerfile: Dockerfile}
 *     command: npm start                 command: [npm, start]
 *     ports: ["8080:80"]                 ports: [{mode: ingress, target: 80, published: "8080", protocol: tcp}]
 *     volumes: [./data:/data:ro]   →     volumes: [{type: bind, source: /src/data, target: /data, read_only: true,
 *     links: [db]                                   bind: {create_host_path: true}}]
 *   db: {image: pg}                      links: [db]
 *                                        depends_on: {db: {condition: service_started, required: true, restart: true}}
 *                                        networks: {default: null}
 *                                      db: {image: pg, networks: {default: null}}
 *                                    networks: {default: {name: demo_default}}
 * </pre>
 * The output is a fixed point: canonicalising a canonical tree changes nothing (include relies on it).
 */
public final class Canonicalizer {

    /** The env-file syntax; {@link DotEnv#parse} in production. A seam so this stage is testable on its own. */
    @FunctionalInterface
    interface EnvFileParser {
        Map<String, String> parse(String file, String text, Function<String, Optional<String>> lookup);
    }

    private final EnvFileParser envFileParser;

    public Canonicalizer() {
        this(DotEnv::parse);
    }

    Canonicalizer(EnvFileParser envFileParser) {
        this.envFileParser = envFileParser;
    }

    public Node canonicalize(Node merged, CanonicalContext context, Consumer<Warning> warnings) {
        if (!(merged instanceof Node.Mapping root)) {
            throw new ComposeFileException(merged.location(), "", "a Compose file must be a mapping, got " + merged.describe());
        }
        return new Run(context, warnings).project(root);
    }

    private static final List<String> RESOURCES = List.of("networks", "volumes", "secrets", "configs");
    private static final List<String> NAMESPACES = List.of("network_mode", "ipc", "pid", "uts", "cgroup");

    private final class Run {
        private final CanonicalContext ctx;
        private final Consumer<Warning> warnings;

        Run(CanonicalContext ctx, Consumer<Warning> warnings) {
            this.ctx = ctx;
            this.warnings = warnings;
        }

        Node project(Node.Mapping root) {
            SpecPath top = SpecPath.ROOT;
            Location nameAt = root.get("name").map(Node::location).orElse(root.location());
            Map<String, Node.Entry> known = new LinkedHashMap<>();
            List<Node.Entry> others = new ArrayList<>();
            for (Node.Entry e : root.entries()) {
                switch (e.name()) {
                    case "name" -> { }
                    case "version" -> warnings.accept(new Warning(e.key().location(), "version",
                            "the attribute `version` is obsolete, it will be ignored; remove it to avoid confusion"));
                    case "services" -> known.put("services", new Node.Entry(e.key(), services(e.value(), top.child("services"))));
                    case "networks", "volumes", "secrets", "configs" ->
                            known.put(e.name(), new Node.Entry(e.key(), resources(e.name(), e.value(), top.child(e.name()))));
                    default -> others.add(e);
                }
            }
            addDefaultNetwork(known, root.location());
            List<Node.Entry> out = new ArrayList<>();
            out.add(new Node.Entry(Nodes.str("name", nameAt), Nodes.str(ctx.projectName(), nameAt)));
            for (String k : List.of("services", "networks", "volumes", "secrets", "configs")) {
                if (known.containsKey(k)) out.add(known.get(k));
            }
            out.addAll(others);
            return new Node.Mapping(out, root.location(), Node.Tag.NONE);
        }

        /** Compose adds the implicit {@code default} network only when some service is attached to it. */
        private void addDefaultNetwork(Map<String, Node.Entry> known, Location at) {
            Node.Entry services = known.get("services");
            if (services == null) return;
            boolean used = false;
            for (Node.Entry s : ((Node.Mapping) services.value()).entries()) {
                if (Nodes.get(s.value(), "networks").map(n -> Nodes.get(n, "default").isPresent()).orElse(false)) used = true;
            }
            Node.Mapping networks = known.containsKey("networks") ? (Node.Mapping) known.get("networks").value() : Nodes.map(at);
            if (!used || networks.get("default").isPresent()) return;
            Node.Mapping def = Nodes.map(at).with("name", Nodes.str(ctx.projectName() + "_default", at));
            Node.Mapping withDefault = sorted(networks.with("default", def));
            Node.Scalar key = known.containsKey("networks") ? known.get("networks").key() : Nodes.str("networks", at);
            known.put("networks", new Node.Entry(key, withDefault));
        }

        // ---- top-level resources ----

        private Node resources(String kind, Node value, SpecPath path) {
            if (Nodes.isNull(value)) return Nodes.map(value.location());
            Node.Mapping m = mapping(value, path);
            List<Node.Entry> out = new ArrayList<>();
            for (Node.Entry e : m.entries()) {
                out.add(new Node.Entry(e.key(), resource(kind, e.name(), e.value(), path.child(e.name()))));
            }
            return sorted(m.withEntries(out));
        }

        private Node resource(String kind, String key, Node value, SpecPath path) {
            if (key.startsWith("x-")) return value;
            Node.Mapping r = Nodes.isNull(value) ? Nodes.map(value.location()) : mapping(value, path);
            Location at = r.location();
            Optional<Node> external = r.get("external");
            if (external.isPresent() && external.get() instanceof Node.Mapping ext) {
                // Deprecated `external: {name: x}`: the name moves to `name`, external becomes a plain true.
                Optional<Node> extName = ext.get("name");
                if (extName.isPresent() && r.get("name").isPresent()) {
                    throw new ComposeFileException(extName.get().location(), path.child("external").child("name").toString(),
                            "can't use both 'external.name' (deprecated) and 'name'; keep only 'name'");
                }
                r = r.with("external", Nodes.bool(true, ext.location()));
                if (extName.isPresent()) r = r.with("name", extName.get());
            }
            if (r.get("name").isEmpty() || Nodes.isNull(r.get("name").get())) {
                boolean isExternal = r.get("external").map(Nodes::isTrue).orElse(false);
                r = r.with("name", Nodes.str(isExternal ? key : ctx.projectName() + "_" + key, at));
            }
            if ((kind.equals("secrets") || kind.equals("configs")) && r.get("file").isPresent()) {
                Node f = r.get("file").get();
                r = r.with("file", Nodes.str(absolute(text(f, path.child("file"))), f.location()));
            }
            if (kind.equals("networks") || kind.equals("volumes")) {
                for (String kv : List.of("labels", "driver_opts")) {
                    Optional<Node> n = r.get(kv);
                    if (n.isPresent() && !Nodes.isNull(n.get())) r = r.with(kv, stringMap(n.get(), path.child(kv)));
                }
            }
            if (kind.equals("volumes") && r.get("driver_opts").orElse(null) instanceof Node.Mapping opts
                    && Nodes.textAt(opts, "o").map(o -> List.of(o.split(",")).contains("bind")).orElse(false)
                    && opts.get("device").flatMap(Nodes::text).isPresent()) {
                // A local volume that is really a bind mount: its device is a path like any other.
                Node device = opts.get("device").get();
                r = r.with("driver_opts", opts.with("device", Nodes.str(absolute(Nodes.text(device).get()), device.location())));
            }
            return first(r, "name");
        }

        // ---- services ----

        private Node services(Node value, SpecPath path) {
            if (Nodes.isNull(value)) return Nodes.map(value.location());
            Node.Mapping m = mapping(value, path);
            List<Node.Entry> out = new ArrayList<>();
            for (Node.Entry e : m.entries()) {
                out.add(new Node.Entry(e.key(), e.name().startsWith("x-") ? e.value() : service(e.value(), path.child(e.name()))));
            }
            return sorted(m.withEntries(out));
        }

        private Node service(Node value, SpecPath path) {
            Node.Mapping svc = Nodes.isNull(value) ? Nodes.map(value.location()) : mapping(value, path);
            List<Node.Entry> out = new ArrayList<>();
            int environmentAt = -1;
            int dependsOnAt = -1;
            for (Node.Entry e : svc.entries()) {
                SpecPath p = path.child(e.name());
                Node v = e.value();
                Node c;
                switch (e.name()) {
                    case "environment", "env_file" -> {
                        if (environmentAt < 0) {
                            environmentAt = out.size();
                            out.add(null);
                        }
                        continue;
                    }
                    case "depends_on" -> {
                        dependsOnAt = out.size();
                        out.add(null);
                        continue;
                    }
                    case "build" -> c = build(v, p);
                    case "command", "entrypoint" -> c = shellCommand(v, p);
                    case "healthcheck" -> c = healthcheck(v, p);
                    case "stop_grace_period" -> c = duration(v, p);
                    case "deploy" -> c = deploy(v, p);
                    case "labels", "annotations", "sysctls" -> c = stringMap(v, p);
                    case "extra_hosts" -> c = hosts(v, p);
                    case "ports" -> c = ports(v, p);
                    case "expose" -> c = strings(v, p);
                    case "volumes" -> c = volumes(v, p);
                    case "networks" -> c = Nodes.isNull(v) ? Nodes.map(v.location()) : sorted(Merger.networksMapping(v, p));
                    case "dns", "dns_search", "dns_opt", "tmpfs" -> c = Nodes.isNull(v) ? v : Nodes.stringOrList(v);
                    case "secrets", "configs" -> c = fileMounts(v, p);
                    case "devices" -> c = devices(v, p);
                    case "pull_policy" -> c = Nodes.text(v).filter("if_not_present"::equals).isPresent()
                            ? Nodes.str("missing", v.location()) : v;
                    default -> c = v;
                }
                out.add(new Node.Entry(e.key(), c));
            }
            if (environmentAt >= 0) {
                Node.Scalar key = svc.entry("environment").or(() -> svc.entry("env_file")).orElseThrow().key();
                out.set(environmentAt, new Node.Entry(Nodes.str("environment", key.location()), environment(svc, path)));
            }
            Node.Mapping deps = dependsOn(svc, path);
            if (dependsOnAt >= 0) {
                out.set(dependsOnAt, new Node.Entry(svc.entry("depends_on").orElseThrow().key(), deps));
            } else if (!deps.entries().isEmpty()) {
                out.add(Nodes.entry("depends_on", deps));
            }
            Node.Mapping result = svc.withEntries(out);
            boolean hasNetworks = result.get("networks").map(n -> n instanceof Node.Mapping nm && !nm.entries().isEmpty()).orElse(false);
            if (!hasNetworks && result.get("network_mode").isEmpty() && result.get("provider").isEmpty()) {
                Node.Mapping def = new Node.Mapping(List.of(Nodes.entry("default", Nodes.nul(svc.location()))), svc.location(), Node.Tag.NONE);
                result = result.with("networks", def);
            }
            return new Node.Mapping(result.entries(), result.location(), Node.Tag.NONE);
        }

        private Node build(Node v, SpecPath path) {
            Node.Mapping b = v instanceof Node.Scalar s && !s.isNull()
                    ? Nodes.map(v.location()).with("context", v) : mapping(v, path);
            Node ctxNode = b.get("context").filter(n -> !Nodes.isNull(n)).orElse(Nodes.str(".", b.location()));
            String context = text(ctxNode, path.child("context"));
            b = b.with("context", Nodes.str(isRemote(context) ? context : absolute(context), ctxNode.location()));
            if (b.get("dockerfile").isEmpty() && b.get("dockerfile_inline").isEmpty()) {
                b = b.with("dockerfile", Nodes.str("Dockerfile", b.location()));
            }
            for (var kv : List.of("labels")) {
                Optional<Node> n = b.get(kv);
                if (n.isPresent()) b = b.with(kv, stringMap(n.get(), path.child(kv)));
            }
            if (b.get("args").isPresent()) b = b.with("args", args(b.get("args").get(), path.child("args")));
            if (b.get("additional_contexts").isPresent()) {
                Node.Mapping ac = Nodes.keyValueMapping(b.get("additional_contexts").get(), path.child("additional_contexts"));
                List<Node.Entry> out = new ArrayList<>();
                for (Node.Entry e : ac.entries()) {
                    String t = text(e.value(), path.child("additional_contexts").child(e.name()));
                    boolean keep = isRemote(t) || t.contains(":");
                    out.add(new Node.Entry(e.key(), Nodes.str(keep ? t : absolute(t), e.value().location())));
                }
                b = b.with("additional_contexts", sorted(ac.withEntries(out)));
            }
            if (b.get("extra_hosts").isPresent()) b = b.with("extra_hosts", hosts(b.get("extra_hosts").get(), path.child("extra_hosts")));
            b = first(first(b, "dockerfile"), "context");
            return new Node.Mapping(b.entries(), b.location(), Node.Tag.NONE);
        }

        /** Build args without a value take it from the environment, and are dropped if it has none (as Compose). */
        private Node args(Node v, SpecPath path) {
            Node.Mapping m = Nodes.keyValueMapping(v, path);
            List<Node.Entry> out = new ArrayList<>();
            for (Node.Entry e : m.entries()) {
                if (Nodes.isNull(e.value())) {
                    Optional<String> env = ctx.env().apply(e.name());
                    env.ifPresent(s -> out.add(new Node.Entry(e.key(), Nodes.str(s, e.value().location()))));
                } else {
                    out.add(new Node.Entry(e.key(), asString(e.value())));
                }
            }
            return sorted(new Node.Mapping(out, m.location(), Node.Tag.NONE));
        }

        private Node shellCommand(Node v, SpecPath path) {
            if (v instanceof Node.Scalar s && !s.isNull()) {
                try {
                    List<Node> words = new ArrayList<>();
                    for (String w : CommandWords.split(s.text())) words.add(Nodes.str(w, s.location()));
                    return Nodes.seq(words, s.location());
                } catch (IllegalArgumentException e) {
                    throw new ComposeFileException(s.location(), path.toString(), e.getMessage() + "; quote or escape it, or use the list form");
                }
            }
            if (v instanceof Node.Seq s) return stringItems(s, path);
            return v;
        }

        private Node healthcheck(Node v, SpecPath path) {
            if (Nodes.isNull(v)) return v;
            Node.Mapping h = mapping(v, path);
            Optional<Node> test = h.get("test");
            if (test.isPresent() && test.get() instanceof Node.Scalar s && !s.isNull()) {
                h = h.with("test", Nodes.seq(List.of(Nodes.str("CMD-SHELL", s.location()), Nodes.str(s.text(), s.location())), s.location()));
            }
            return durations(h, path, "interval", "timeout", "start_period", "start_interval");
        }

        private Node deploy(Node v, SpecPath path) {
            if (Nodes.isNull(v)) return v;
            Node.Mapping d = mapping(v, path);
            for (String section : List.of("update_config", "rollback_config", "restart_policy")) {
                Optional<Node> s = d.get(section);
                if (s.isPresent() && s.get() instanceof Node.Mapping sm) {
                    d = d.with(section, durations(sm, path.child(section), "delay", "window", "monitor"));
                }
            }
            if (d.get("labels").isPresent()) d = d.with("labels", stringMap(d.get("labels").get(), path.child("labels")));
            return d;
        }

        private Node.Mapping durations(Node.Mapping m, SpecPath path, String... keys) {
            for (String k : keys) {
                Optional<Node> n = m.get(k);
                if (n.isPresent()) m = m.with(k, duration(n.get(), path.child(k)));
            }
            return m;
        }

        /**
         * {@code --no-interpolate}: a short syntax that does not parse because it still holds {@code ${…}} stays as
         * written (docker compose's config does the same); reported so the loader knows the model is incomplete.
         */
        private boolean keptAsWritten(Node v, SpecPath path) {
            if (ctx.uninterpolated().isEmpty() || !(v instanceof Node.Scalar s) || !s.text().contains("${")) return false;
            ctx.uninterpolated().get().accept(path.toString());
            return true;
        }

        private Node duration(Node v, SpecPath path) {
            if (Nodes.isNull(v)) return v;
            if (!(v instanceof Node.Scalar s)) throw new ComposeFileException(v.location(), path.toString(), "must be a duration such as 1m30s, got " + v.describe());
            try {
                return Nodes.str(GoDuration.format(GoDuration.parseNanos(s.text())), s.location());
            } catch (IllegalArgumentException e) {
                if (keptAsWritten(s, path)) return s;
                throw new ComposeFileException(s.location(), path.toString(), e.getMessage());
            }
        }

        private Node environment(Node.Mapping svc, SpecPath path) {
            Map<String, Node> env = new TreeMap<>();
            Node.Mapping declared = svc.get("environment").filter(n -> !Nodes.isNull(n))
                    .map(n -> Nodes.keyValueMapping(n, path.child("environment"))).orElse(Nodes.map(svc.location()));
            Optional<Node> envFile = svc.get("env_file").filter(n -> !Nodes.isNull(n));
            if (envFile.isPresent()) {
                Function<String, Optional<String>> lookup = k -> ctx.env().apply(k)
                        .or(() -> declared.get(k).flatMap(Nodes::text));
                List<Node> items = Nodes.stringOrList(envFile.get()).items();
                for (int i = 0; i < items.size(); i++) {
                    readEnvFile(items.get(i), path.child("env_file").index(i), lookup, env);
                }
            }
            for (Node.Entry e : declared.entries()) {
                Node v = e.value();
                if (Nodes.isNull(v)) {
                    // A bare KEY takes the project's value; without one it stays unset (null), as Compose prints it.
                    Optional<String> fromEnv = ctx.env().apply(e.name());
                    env.put(e.name(), fromEnv.<Node>map(s -> Nodes.str(s, v.location())).orElse(Nodes.nul(v.location())));
                } else {
                    env.put(e.name(), asString(v));
                }
            }
            List<Node.Entry> out = new ArrayList<>();
            for (var e : env.entrySet()) out.add(Nodes.entry(e.getKey(), e.getValue()));
            return new Node.Mapping(out, declared.location(), Node.Tag.NONE);
        }

        private void readEnvFile(Node item, SpecPath path, Function<String, Optional<String>> lookup, Map<String, Node> env) {
            String file;
            boolean required = true;
            boolean raw = false;
            if (item instanceof Node.Mapping m) {
                file = text(m.get("path").orElseThrow(() -> new ComposeFileException(m.location(), path.toString(), "env_file entry needs a 'path'")), path.child("path"));
                required = m.get("required").map(Nodes::isTrue).orElse(true);
                raw = m.get("format").flatMap(Nodes::text).filter("raw"::equals).isPresent();
            } else {
                file = text(item, path);
            }
            Path p = Path.of(absolute(file));
            if (!Files.isRegularFile(p)) {
                if (!required) return;
                throw new ComposeFileException(item.location(), path.toString(), "env file " + p + " not found; create it or mark it 'required: false'");
            }
            String content;
            try {
                content = Files.readString(p);
            } catch (IOException e) {
                throw new ComposeFileException(item.location(), path.toString(), "cannot read env file " + p + ": " + e.getMessage(), e);
            }
            Map<String, String> parsed = raw ? rawEnvFile(content) : envFileParser.parse(p.toString(), content, lookup);
            for (var kv : parsed.entrySet()) {
                env.put(kv.getKey(), Nodes.str(kv.getValue(), item.location()));
            }
        }

        private Node.Mapping dependsOn(Node.Mapping svc, SpecPath path) {
            SpecPath p = path.child("depends_on");
            Map<String, Node.Entry> deps = new TreeMap<>();
            Optional<Node> declared = svc.get("depends_on").filter(n -> !Nodes.isNull(n));
            if (declared.isPresent()) {
                if (declared.get() instanceof Node.Mapping m) {
                    for (Node.Entry e : m.entries()) {
                        Node.Mapping d = Nodes.isNull(e.value()) ? Nodes.map(e.key().location()) : mapping(e.value(), p.child(e.name()));
                        if (d.get("condition").isEmpty()) d = d.with("condition", Nodes.str("service_started", e.key().location()));
                        if (d.get("required").isEmpty()) d = d.with("required", Nodes.bool(true, e.key().location()));
                        deps.put(e.name(), new Node.Entry(e.key(), ordered(d, "condition", "required", "restart")));
                    }
                } else {
                    for (Node item : Nodes.stringOrList(declared.get()).items()) {
                        String name = text(item, p);
                        deps.put(name, new Node.Entry(Nodes.str(name, item.location()), dependency(item.location(), null)));
                    }
                }
            }
            // Implicit dependencies, recorded the way compose-go normalises them: links and service: namespaces
            // restart with their target, volumes_from does not.
            for (Node link : svc.get("links").map(Nodes::stringOrList).map(Node.Seq::items).orElse(List.of())) {
                String t = Nodes.text(link).orElse("");
                String name = t.contains(":") ? t.substring(0, t.indexOf(':')) : t;
                deps.putIfAbsent(name, new Node.Entry(Nodes.str(name, link.location()), dependency(link.location(), true)));
            }
            for (String ns : NAMESPACES) {
                Optional<Node> n = svc.get(ns);
                Optional<String> t = n.flatMap(Nodes::text).filter(s -> s.startsWith("service:"));
                if (t.isPresent()) {
                    String name = t.get().substring("service:".length());
                    deps.putIfAbsent(name, new Node.Entry(Nodes.str(name, n.get().location()), dependency(n.get().location(), true)));
                }
            }
            for (Node vf : svc.get("volumes_from").map(Nodes::stringOrList).map(Node.Seq::items).orElse(List.of())) {
                String t = Nodes.text(vf).orElse("");
                if (t.startsWith("container:")) continue;
                String name = t.contains(":") ? t.substring(0, t.indexOf(':')) : t;
                deps.putIfAbsent(name, new Node.Entry(Nodes.str(name, vf.location()), dependency(vf.location(), false)));
            }
            Location at = declared.map(Node::location).orElse(svc.location());
            return new Node.Mapping(new ArrayList<>(deps.values()), at, Node.Tag.NONE);
        }

        private Node.Mapping dependency(Location at, Boolean restart) {
            Node.Mapping d = Nodes.map(at)
                    .with("condition", Nodes.str("service_started", at))
                    .with("required", Nodes.bool(true, at));
            return restart == null ? d : d.with("restart", Nodes.bool(restart, at));
        }

        private Node ports(Node v, SpecPath path) {
            if (Nodes.isNull(v)) return v;
            List<Node> out = new ArrayList<>();
            List<Node> items = seq(v, path).items();
            for (int i = 0; i < items.size(); i++) {
                Node item = items.get(i);
                SpecPath p = path.index(i);
                if (item instanceof Node.Mapping m) {
                    out.add(longPort(m, p));
                } else if (item instanceof Node.Scalar s && s.kind() == Node.Kind.INT) {
                    int target;
                    try {
                        target = Integer.parseInt(s.text());
                    } catch (NumberFormatException e) { // beyond an int: still the user's typo, so say where
                        throw new ComposeFileException(s.location(), p.toString(), "\"" + s.text() + "\" is not a port number (0-65535)");
                    }
                    out.add(port(new ShortSyntax.Port("", "", target, "tcp"), s.location()));
                } else {
                    String spec = text(item, p);
                    try {
                        for (ShortSyntax.Port port : ShortSyntax.ports(spec)) out.add(port(port, item.location()));
                    } catch (IllegalArgumentException e) {
                        if (keptAsWritten(item, p)) {
                            out.add(item);
                            continue;
                        }
                        throw new ComposeFileException(item.location(), p.toString(), e.getMessage());
                    }
                }
            }
            return Nodes.seq(out, v.location());
        }

        private Node.Mapping port(ShortSyntax.Port p, Location at) {
            Node.Mapping m = Nodes.map(at).with("mode", Nodes.str("ingress", at));
            if (!p.hostIp().isEmpty()) m = m.with("host_ip", Nodes.str(p.hostIp(), at));
            m = m.with("target", Nodes.integer(p.target(), at));
            if (!p.published().isEmpty()) m = m.with("published", Nodes.str(p.published(), at));
            return m.with("protocol", Nodes.str(p.protocol(), at));
        }

        private Node.Mapping longPort(Node.Mapping m, SpecPath path) {
            if (m.get("mode").isEmpty()) m = m.with("mode", Nodes.str("ingress", m.location()));
            if (m.get("protocol").isEmpty()) m = m.with("protocol", Nodes.str("tcp", m.location()));
            Optional<Node> published = m.get("published");
            if (published.isPresent() && published.get() instanceof Node.Scalar s && !s.isNull()) {
                m = m.with("published", Nodes.str(s.text(), s.location()));
            }
            Optional<Node> target = m.get("target");
            if (target.isPresent() && target.get() instanceof Node.Scalar s && s.kind() == Node.Kind.STRING) {
                try {
                    m = m.with("target", Nodes.integer(Integer.parseInt(s.text()), s.location()));
                } catch (NumberFormatException e) {
                    throw new ComposeFileException(s.location(), path.child("target").toString(), "\"" + s.text() + "\" is not a port number");
                }
            }
            return ordered(m, "name", "mode", "host_ip", "target", "published", "protocol", "app_protocol");
        }

        private Node volumes(Node v, SpecPath path) {
            if (Nodes.isNull(v)) return v;
            List<Node> out = new ArrayList<>();
            List<Node> items = seq(v, path).items();
            for (int i = 0; i < items.size(); i++) {
                Node item = items.get(i);
                SpecPath p = path.index(i);
                out.add(item instanceof Node.Mapping m ? longVolume(m, p) : shortVolume(item, p));
            }
            return Nodes.seq(out, v.location());
        }

        private Node shortVolume(Node item, SpecPath path) {
            String spec = text(item, path);
            ShortSyntax.Volume vol;
            try {
                vol = ShortSyntax.volume(spec);
            } catch (IllegalArgumentException e) {
                if (keptAsWritten(item, path)) return item;
                throw new ComposeFileException(item.location(), path.toString(), e.getMessage());
            }
            Location at = item.location();
            for (String o : vol.ignoredOptions()) {
                warnings.accept(new Warning(at, path.toString(), "unknown volume option \"" + o + "\" ignored (known: ro, rw, z, Z, nocopy, "
                        + "shared, rshared, slave, rslave, private, rprivate)"));
            }
            Node.Mapping m = Nodes.map(at).with("type", Nodes.str(vol.type(), at));
            if (!vol.source().isEmpty()) {
                String source = vol.type().equals("bind") ? absolute(vol.source()) : vol.source();
                m = m.with("source", Nodes.str(source, at));
            }
            m = m.with("target", Nodes.str(vol.target(), at));
            if (vol.readOnly()) m = m.with("read_only", Nodes.bool(true, at));
            if (vol.type().equals("bind")) {
                Node.Mapping bind = Nodes.map(at);
                if (!vol.propagation().isEmpty()) bind = bind.with("propagation", Nodes.str(vol.propagation(), at));
                bind = bind.with("create_host_path", Nodes.bool(true, at));
                if (!vol.selinux().isEmpty()) bind = bind.with("selinux", Nodes.str(vol.selinux(), at));
                m = m.with("bind", bind);
            } else {
                Node.Mapping volume = Nodes.map(at);
                if (vol.nocopy()) volume = volume.with("nocopy", Nodes.bool(true, at));
                m = m.with("volume", volume);
            }
            return m;
        }

        private Node longVolume(Node.Mapping m, SpecPath path) {
            String type = Nodes.textAt(m, "type").orElse("volume");
            Optional<Node> source = m.get("source");
            if (type.equals("bind") && source.isPresent() && !Nodes.isNull(source.get())) {
                m = m.with("source", Nodes.str(absolute(text(source.get(), path.child("source"))), source.get().location()));
            }
            Optional<Node> target = m.get("target");
            if (target.isPresent() && target.get() instanceof Node.Scalar s && !s.isNull()) {
                m = m.with("target", Nodes.str(ShortSyntax.cleanTarget(s.text()), s.location()));
            }
            return m;
        }

        private Node fileMounts(Node v, SpecPath path) {
            if (Nodes.isNull(v)) return v;
            List<Node> out = new ArrayList<>();
            for (Node item : seq(v, path).items()) {
                if (item instanceof Node.Mapping m) {
                    // Go's YAML (and so docker compose) reads a mode written 0440 as octal: keep that meaning
                    // through 'config' (it prints 288, as docker compose config does).
                    var mode = m.get("mode");
                    if (mode.isPresent() && mode.get() instanceof Node.Scalar ms && ms.kind() == Node.Kind.INT
                            && ms.text().trim().matches("0[0-7]+")) {
                        item = m.with("mode", Nodes.integer(Long.parseLong(ms.text().trim(), 8), ms.location()));
                    }
                }
                out.add(item instanceof Node.Scalar s && !s.isNull()
                        ? Nodes.map(s.location()).with("source", Nodes.str(s.text(), s.location())) : item);
            }
            return Nodes.seq(out, v.location());
        }

        /** {@code source[:target[:permissions]]} → {source, target, permissions}; target defaults to source, permissions to rwm. */
        private Node devices(Node v, SpecPath path) {
            if (Nodes.isNull(v)) return v;
            List<Node> out = new ArrayList<>();
            List<Node> items = seq(v, path).items();
            for (int i = 0; i < items.size(); i++) {
                Node item = items.get(i);
                if (item instanceof Node.Mapping) {
                    out.add(item);
                    continue;
                }
                String[] parts = text(item, path.index(i)).split(":", -1);
                if (parts.length > 3) {
                    throw new ComposeFileException(item.location(), path.index(i).toString(),
                            "confusing device mapping \"" + String.join(":", parts) + "\"; use the long syntax {source, target, permissions}");
                }
                Location at = item.location();
                String target = parts.length > 1 && !parts[1].isEmpty() ? parts[1] : parts[0];
                out.add(Nodes.map(at).with("source", Nodes.str(parts[0], at)).with("target", Nodes.str(target, at))
                        .with("permissions", Nodes.str(parts.length > 2 ? parts[2] : "rwm", at)));
            }
            return Nodes.seq(out, v.location());
        }

        private Node hosts(Node v, SpecPath path) {
            if (Nodes.isNull(v)) return v;
            List<Node> hosts = new ArrayList<>(Merger.hostList(v, path));
            hosts.sort((a, b) -> Nodes.text(a).orElse("").compareTo(Nodes.text(b).orElse("")));
            List<Node> unique = new ArrayList<>();
            for (Node h : hosts) if (unique.stream().noneMatch(x -> Nodes.sameContent(x, h))) unique.add(h);
            return Nodes.seq(unique, v.location());
        }

        private Node strings(Node v, SpecPath path) {
            if (Nodes.isNull(v)) return v;
            return stringItems(seq(v, path), path);
        }

        private Node.Seq stringItems(Node.Seq s, SpecPath path) {
            List<Node> out = new ArrayList<>();
            for (Node item : s.items()) out.add(item instanceof Node.Scalar sc && !sc.isNull() ? asString(sc) : item);
            return Nodes.seq(out, s.location());
        }

        /** A key/value attribute (labels, sysctls, driver_opts …) as a sorted mapping of strings. */
        private Node stringMap(Node v, SpecPath path) {
            if (Nodes.isNull(v)) return v;
            Node.Mapping m = Nodes.keyValueMapping(v, path);
            List<Node.Entry> out = new ArrayList<>();
            for (Node.Entry e : m.entries()) {
                Node val = e.value();
                // Compose reads a label or sysctl without a value as the empty string.
                out.add(new Node.Entry(e.key(), Nodes.isNull(val) ? Nodes.str("", val.location()) : asString(val)));
            }
            return sorted(new Node.Mapping(out, m.location(), Node.Tag.NONE));
        }

        // ---- paths ----

        private String absolute(String p) {
            String expanded = p;
            if (p.equals("~") || p.startsWith("~/")) {
                String home = ctx.env().apply("HOME").orElse(System.getProperty("user.home"));
                expanded = home + p.substring(1);
            }
            Path path = Path.of(expanded);
            if (path.isAbsolute()) return expanded;
            return ctx.projectDirectory().resolve(path).normalize().toString();
        }
    }

    // ---- helpers that need no context ----

    /** {@code format: raw}: KEY=VALUE lines taken literally (no quotes, escapes or interpolation), # lines skipped. */
    static Map<String, String> rawEnvFile(String content) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : content.split("\r?\n")) {
            if (line.isBlank() || line.stripLeading().startsWith("#")) continue;
            int eq = line.indexOf('=');
            if (eq < 0) continue;
            out.put(line.substring(0, eq).strip(), line.substring(eq + 1));
        }
        return out;
    }

    /** Git and URL build contexts are not paths. */
    static boolean isRemote(String context) {
        return context.contains("://") || context.startsWith("git@") || context.startsWith("github.com/");
    }

    private static Node asString(Node v) {
        if (v instanceof Node.Scalar s && s.kind() != Node.Kind.STRING && !s.isNull()) return Nodes.str(s.text(), s.location());
        return v;
    }

    private static Node.Mapping mapping(Node v, SpecPath path) {
        if (v instanceof Node.Mapping m) return m;
        throw new ComposeFileException(v.location(), path.toString(), "must be a mapping, got " + v.describe());
    }

    private static Node.Seq seq(Node v, SpecPath path) {
        if (v instanceof Node.Seq s) return s;
        throw new ComposeFileException(v.location(), path.toString(), "must be a list, got " + v.describe());
    }

    private static String text(Node v, SpecPath path) {
        return Nodes.text(v).orElseThrow(() -> new ComposeFileException(v.location(), path.toString(), "must be a string, got " + v.describe()));
    }

    /** Sorted by key: what a person or a config hash reads must not depend on file order. */
    static Node.Mapping sorted(Node.Mapping m) {
        List<Node.Entry> entries = new ArrayList<>(m.entries());
        entries.sort((a, b) -> a.name().compareTo(b.name()));
        return new Node.Mapping(entries, m.location(), Node.Tag.NONE);
    }

    /** {@code key} moved to the front. */
    private static Node.Mapping first(Node.Mapping m, String key) {
        Optional<Node.Entry> e = m.entry(key);
        if (e.isEmpty()) return m;
        List<Node.Entry> out = new ArrayList<>();
        out.add(e.get());
        for (Node.Entry x : m.entries()) if (!x.name().equals(key)) out.add(x);
        return m.withEntries(out);
    }

    /** The listed keys first, in this order, then the others in file order. */
    private static Node.Mapping ordered(Node.Mapping m, String... keys) {
        List<Node.Entry> out = new ArrayList<>();
        for (String k : keys) m.entry(k).ifPresent(out::add);
        for (Node.Entry x : m.entries()) if (!List.of(keys).contains(x.name())) out.add(x);
        return m.withEntries(out);
    }
}
