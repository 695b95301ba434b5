package io.jcompose.project;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Stage 5: {@code -f} files merged in order with the Compose merge rules (mappings merge; {@code command},
 * {@code entrypoint}, {@code healthcheck.test} replace; ports, volumes, … de-duplicated by key; {@code !reset},
 * {@code !override}). The result carries no merge tags.
 *
 * <p>The rules are two tables keyed by spec path ({@code *} matches one segment): {@link #RULES} says how a value
 * of the override file combines with the base value, {@link #UNIQUE} which key makes a sequence item unique
 * (a later item with the same key replaces the earlier one in place). Paths not in {@link #RULES} follow the spec's
 * defaults: mappings merge, sequences append, anything else is replaced. An override value of {@code null} keeps
 * the base value (as compose-go does); {@code !reset} removes the key; {@code !override} replaces without merging.
 */
public final class Merger {

    /** How the base and override values at one path combine; both are non-null, {@code over} is untagged. */
    @FunctionalInterface
    interface Rule {
        Node apply(Merger merger, Node base, Node over, SpecPath path);
    }

    private static final Map<String, Rule> RULES = new LinkedHashMap<>();
    private static final Map<String, Function<Node, String>> UNIQUE = new LinkedHashMap<>();

    static {
        Rule replace = (m, base, over, path) -> Nodes.settle(over);
        Rule keyValue = (m, base, over, path) ->
                m.mergeMappings(Nodes.keyValueMapping(base, path), Nodes.keyValueMapping(over, path), path);
        Rule appendList = (m, base, over, path) -> {
            List<Node> items = new ArrayList<>(Nodes.stringOrList(base).items());
            items.addAll(((Node.Seq) Nodes.settle(Nodes.stringOrList(over))).items());
            return Nodes.seq(items, base.location());
        };
        RULES.put("services.*.command", replace);
        RULES.put("services.*.entrypoint", replace);
        RULES.put("services.*.healthcheck.test", replace);
        RULES.put("services.*.ulimits.*", replace);
        for (String p : List.of("services.*.environment", "services.*.labels", "services.*.annotations",
                "services.*.sysctls", "services.*.build.args", "services.*.build.labels",
                "services.*.build.additional_contexts", "services.*.deploy.labels", "networks.*.labels",
                "volumes.*.labels", "secrets.*.labels", "configs.*.labels", "networks.*.driver_opts",
                "volumes.*.driver_opts")) {
            RULES.put(p, keyValue);
        }
        for (String p : List.of("services.*.dns", "services.*.dns_opt", "services.*.dns_search", "services.*.tmpfs",
                "services.*.env_file", "services.*.label_file")) {
            RULES.put(p, appendList);
        }
        Rule hosts = (m, base, over, path) -> {
            List<Node> items = new ArrayList<>(hostList(base, path));
            for (Node h : hostList(Nodes.settle(over), path)) {
                if (items.stream().noneMatch(x -> Nodes.sameContent(x, h))) items.add(h);
            }
            return Nodes.seq(items, base.location());
        };
        RULES.put("services.*.extra_hosts", hosts);
        RULES.put("services.*.build.extra_hosts", hosts);
        RULES.put("services.*.depends_on", (m, base, over, path) ->
                m.mergeMappings(dependsOnMapping(base, path), dependsOnMapping(over, path), path));
        RULES.put("services.*.networks", (m, base, over, path) ->
                m.mergeMappings(networksMapping(base, path), networksMapping(over, path), path));
        RULES.put("services.*.build", (m, base, over, path) ->
                m.mergeMappings(buildMapping(base), buildMapping(over), path));
        RULES.put("services.*.logging", (m, base, over, path) -> {
            Optional<String> b = Nodes.textAt(base, "driver");
            Optional<String> o = Nodes.textAt(over, "driver");
            if (b.isEmpty() || o.isEmpty() || b.equals(o)) return m.mergeDefault(base, over, path);
            return Nodes.settle(over);
        });
        RULES.put("networks.*.ipam.config", (m, base, over, path) -> {
            List<Node> items = new ArrayList<>(((Node.Seq) base).items());
            for (Node o : ((Node.Seq) Nodes.settle(over)).items()) {
                Optional<String> subnet = Nodes.textAt(o, "subnet");
                int same = -1;
                for (int i = 0; i < items.size() && subnet.isPresent(); i++) {
                    if (Nodes.textAt(items.get(i), "subnet").equals(subnet)) same = i;
                }
                if (same < 0) items.add(o);
                else items.set(same, m.mergeDefault(items.get(same), o, path));
            }
            return Nodes.seq(items, base.location());
        });

        Function<Node, String> value = n -> Nodes.text(n).orElse(n.toString());
        UNIQUE.put("services.*.ports", Merger::portKey);
        UNIQUE.put("services.*.volumes", Merger::volumeKey);
        UNIQUE.put("services.*.secrets", mountKey("/run/secrets/"));
        UNIQUE.put("services.*.configs", mountKey("/"));
        UNIQUE.put("services.*.env_file", n -> Nodes.textAt(n, "path").orElseGet(() -> value.apply(n)));
        for (String p : List.of("services.*.dns", "services.*.dns_opt", "services.*.dns_search", "services.*.tmpfs",
                "services.*.cap_add", "services.*.cap_drop", "services.*.expose", "services.*.links",
                "services.*.profiles", "services.*.label_file", "services.*.networks.*.aliases",
                "services.*.networks.*.link_local_ips", "services.*.build.tags", "services.*.build.platforms",
                "services.*.extra_hosts", "services.*.security_opt", "services.*.group_add")) {
            UNIQUE.put(p, value);
        }
    }

    public Node merge(List<Node> files) {
        if (files.isEmpty()) throw new IllegalArgumentException("no files to merge");
        Node result = Nodes.map(files.get(0).location());
        SpecPath root = SpecPath.ROOT;
        for (Node file : files) {
            if (!(file instanceof Node.Mapping)) {
                throw new ComposeFileException(file.location(), "", "a Compose file must be a mapping, got " + file.describe());
            }
            result = mergeNode(result, file, root);
        }
        return unique(result, root);
    }

    /**
     * {@code extends}: the service {@code over} (its {@code extends} key already removed) on top of {@code base},
     * with the same rules as {@code -f} files; {@code name} is the extending service's name (for rule paths).
     */
    Node mergeService(Node base, Node over, String name) {
        SpecPath path = SpecPath.ROOT.child("services").child(name);
        Node b = Nodes.isNull(base) ? Nodes.map(over.location()) : base;
        Node o = Nodes.isNull(over) ? Nodes.map(b.location()) : over;
        return unique(mergeNode(Nodes.settle(b), o, path), path);
    }

    /** {@code over} on top of {@code base} at {@code path}; never called with a {@code !reset} {@code over}. */
    private Node mergeNode(Node base, Node over, SpecPath path) {
        if (over.tag() == Node.Tag.OVERRIDE || base == null) return Nodes.settle(over);
        if (Nodes.isNull(over)) return base;
        if (Nodes.isNull(base)) return Nodes.settle(over);
        for (var rule : RULES.entrySet()) {
            if (matches(rule.getKey(), path)) return rule.getValue().apply(this, base, over, path);
        }
        return mergeDefault(base, over, path);
    }

    private Node mergeDefault(Node base, Node over, SpecPath path) {
        if (base instanceof Node.Mapping b && over instanceof Node.Mapping o) return mergeMappings(b, o, path);
        if (base instanceof Node.Seq b && over instanceof Node.Seq o) {
            List<Node> items = new ArrayList<>(b.items());
            items.addAll(((Node.Seq) Nodes.settle(o)).items());
            return b.withItems(items);
        }
        return Nodes.settle(over);
    }

    Node.Mapping mergeMappings(Node.Mapping base, Node.Mapping over, SpecPath path) {
        List<Node.Entry> out = new ArrayList<>(base.entries());
        for (Node.Entry e : over.entries()) {
            int at = indexOf(out, e.name());
            if (e.value().tag() == Node.Tag.RESET) {
                if (at >= 0) out.remove(at);
                continue;
            }
            if (at < 0) {
                out.add(new Node.Entry(e.key(), Nodes.settle(e.value())));
            } else if (e.name().startsWith("x-")) {
                // Extensions are opaque to Compose: the later file's value replaces the earlier one whole.
                out.set(at, new Node.Entry(out.get(at).key(), Nodes.settle(e.value())));
            } else {
                out.set(at, new Node.Entry(out.get(at).key(), mergeNode(out.get(at).value(), e.value(), path.child(e.name()))));
            }
        }
        return new Node.Mapping(out, base.location(), Node.Tag.NONE);
    }

    private static int indexOf(List<Node.Entry> entries, String key) {
        for (int i = 0; i < entries.size(); i++) if (entries.get(i).name().equals(key)) return i;
        return -1;
    }

    /** Applies {@link #UNIQUE}: in each listed sequence, a later item replaces an earlier one with the same key. */
    private Node unique(Node n, SpecPath path) {
        if (n instanceof Node.Mapping m) {
            List<Node.Entry> out = new ArrayList<>(m.entries().size());
            for (Node.Entry e : m.entries()) out.add(new Node.Entry(e.key(), unique(e.value(), path.child(e.name()))));
            return m.withEntries(out);
        }
        if (n instanceof Node.Seq s) {
            for (var u : UNIQUE.entrySet()) {
                if (!matches(u.getKey(), path)) continue;
                Map<String, Integer> seen = new LinkedHashMap<>();
                List<Node> items = new ArrayList<>();
                for (Node item : s.items()) {
                    String key = u.getValue().apply(item);
                    Integer at = seen.get(key);
                    if (at == null) {
                        seen.put(key, items.size());
                        items.add(item);
                    } else {
                        items.set(at, item);
                    }
                }
                return s.withItems(items);
            }
        }
        return n;
    }

    static boolean matches(String pattern, SpecPath path) {
        return path.matches(pattern);
    }


    // ---- conversions of the alternative syntaxes Compose merges by ----

    private static Node.Mapping dependsOnMapping(Node n, SpecPath path) {
        if (n instanceof Node.Mapping m) return m;
        List<Node.Entry> out = new ArrayList<>();
        for (Node item : Nodes.stringOrList(n).items()) {
            String name = Nodes.text(item).orElseThrow(() ->
                    new ComposeFileException(item.location(), path.toString(), "list items must be service names, got " + item.describe()));
            Node.Mapping dep = Nodes.map(item.location())
                    .with("condition", Nodes.str("service_started", item.location()))
                    .with("required", Nodes.bool(true, item.location()));
            out.add(new Node.Entry(Nodes.str(name, item.location()), dep));
        }
        return new Node.Mapping(out, n.location(), Node.Tag.NONE);
    }

    static Node.Mapping networksMapping(Node n, SpecPath path) {
        if (n instanceof Node.Mapping m) return m;
        List<Node.Entry> out = new ArrayList<>();
        for (Node item : Nodes.stringOrList(n).items()) {
            String name = Nodes.text(item).orElseThrow(() ->
                    new ComposeFileException(item.location(), path.toString(), "list items must be network names, got " + item.describe()));
            out.add(new Node.Entry(Nodes.str(name, item.location()), Nodes.nul(item.location())));
        }
        return new Node.Mapping(out, n.location(), Node.Tag.NONE);
    }

    private static Node.Mapping buildMapping(Node n) {
        if (n instanceof Node.Mapping m) return m;
        return Nodes.map(n.location()).with("context", n);
    }

    /** extra_hosts as a list of {@code host=ip} strings (map form and {@code host:ip} converted). */
    static List<Node> hostList(Node n, SpecPath path) {
        List<Node> out = new ArrayList<>();
        if (n instanceof Node.Mapping m) {
            for (Node.Entry e : m.entries()) {
                for (Node ip : Nodes.stringOrList(e.value()).items()) {
                    out.add(Nodes.str(e.name() + "=" + Nodes.text(ip).orElse(""), ip.location()));
                }
            }
            return out;
        }
        for (Node item : Nodes.stringOrList(n).items()) {
            String t = Nodes.text(item).orElseThrow(() ->
                    new ComposeFileException(item.location(), path.toString(), "list items must be host=ip strings, got " + item.describe()));
            int eq = t.indexOf('=');
            int colon = t.indexOf(':');
            if (eq < 0 && colon > 0) t = t.substring(0, colon) + "=" + t.substring(colon + 1);
            out.add(Nodes.str(t, item.location()));
        }
        return out;
    }

    private static String portKey(Node n) {
        if (n instanceof Node.Mapping m) {
            return Nodes.textAt(m, "host_ip").orElse("") + ":" + Nodes.textAt(m, "published").orElse("") + ":"
                    + Nodes.textAt(m, "target").orElse("") + "/" + Nodes.textAt(m, "protocol").orElse("tcp");
        }
        String t = Nodes.text(n).orElse("");
        try {
            StringBuilder key = new StringBuilder();
            for (ShortSyntax.Port p : ShortSyntax.ports(t)) key.append(key.length() == 0 ? "" : " ").append(p.key());
            return key.toString();
        } catch (IllegalArgumentException e) {
            return t; // reported by the canonical stage, with its location
        }
    }

    private static String volumeKey(Node n) {
        if (n instanceof Node.Mapping m) return Nodes.textAt(m, "target").map(ShortSyntax::cleanTarget).orElse("");
        String t = Nodes.text(n).orElse("");
        try {
            return ShortSyntax.volume(t).target();
        } catch (IllegalArgumentException e) {
            return t;
        }
    }

    private static Function<Node, String> mountKey(String defaultDir) {
        return n -> {
            if (n instanceof Node.Mapping m) {
                return Nodes.textAt(m, "target").orElseGet(() -> defaultDir + Nodes.textAt(m, "source").orElse(""));
            }
            return defaultDir + Nodes.text(n).orElse("");
        };
    }
}
