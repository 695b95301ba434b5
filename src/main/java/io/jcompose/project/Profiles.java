package io.jcompose.project;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Stage 7: services whose profiles are not active are removed. Naming a service on the command line enables its
 * profiles. A depends_on on a disabled service is a located error.
 *
 * <p>A service is enabled when it has no {@code profiles}, when one of its profiles is active, when {@code *} is
 * active, or when it is named on the command line (its profiles then join the active set, which may enable
 * others). Works on the canonical tree, where links, volumes_from and {@code service:} namespaces are already
 * depends_on entries, so they are checked too. A dependency with {@code required: false} on a disabled service
 * is dropped, as Compose ignores it; any other is an error such as
 * {@code compose.yaml:12:9: services.zot.depends_on.bar: service "bar" is disabled (its profiles: test); enable it with --profile test}.
 * Other top-level elements are never affected.
 */
public final class Profiles {
    public Node apply(Node canonical, Set<String> activeProfiles, List<String> requestedServices) {
        if (!(canonical instanceof Node.Mapping root)) return canonical;
        Optional<Node> servicesNode = root.get("services");
        if (servicesNode.isEmpty() || !(servicesNode.get() instanceof Node.Mapping services)) return canonical;
        Set<String> active = new TreeSet<>(activeProfiles);
        for (String name : requestedServices) {
            Node svc = services.get(name).orElseThrow(() -> new NoSuchServiceException(
                    "no such service: " + name + " (defined: " + String.join(", ", services.keys()) + ")"));
            active.addAll(profiles(svc));
        }
        Set<String> enabled = new TreeSet<>();
        for (Node.Entry e : services.entries()) {
            List<String> p = profiles(e.value());
            if (requestedServices.contains(e.name()) || p.isEmpty() || active.contains("*") || p.stream().anyMatch(active::contains)) {
                enabled.add(e.name());
            }
        }
        List<Node.Entry> out = new ArrayList<>();
        for (Node.Entry e : services.entries()) {
            if (!enabled.contains(e.name())) continue;
            out.add(new Node.Entry(e.key(), checkDependencies(e.name(), e.value(), services, enabled)));
        }
        return root.with("services", services.withEntries(out));
    }

    private static Node checkDependencies(String name, Node svc, Node.Mapping services, Set<String> enabled) {
        Optional<Node> deps = Nodes.get(svc, "depends_on");
        if (deps.isEmpty() || !(deps.get() instanceof Node.Mapping dm)) return svc;
        List<Node.Entry> kept = new ArrayList<>();
        for (Node.Entry d : dm.entries()) {
            boolean defined = services.get(d.name()).isPresent();
            if (!defined || enabled.contains(d.name())) {
                kept.add(d); // an undefined service is the semantic validator's error to report
                continue;
            }
            boolean required = Nodes.get(d.value(), "required").map(Nodes::isTrue).orElse(true);
            if (!required) continue;
            List<String> theirs = profiles(services.get(d.name()).get());
            throw new ComposeFileException(d.key().location(),
                    SpecPath.ROOT.child("services").child(name).child("depends_on").child(d.name()).toString(),
                    "service \"" + d.name() + "\" is disabled (its profiles: " + String.join(", ", theirs)
                            + "); enable it with --profile " + theirs.get(0) + ", or mark the dependency required: false");
        }
        if (kept.size() == dm.entries().size()) return svc;
        return ((Node.Mapping) svc).with("depends_on", dm.withEntries(kept));
    }

    private static List<String> profiles(Node svc) {
        List<String> out = new ArrayList<>();
        Nodes.get(svc, "profiles").ifPresent(p -> {
            for (Node item : Nodes.stringOrList(p).items()) Nodes.text(item).ifPresent(out::add);
        });
        return out;
    }
}
