package io.jcompose.project;

import io.jcompose.model.Project;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.TreeMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A loader whose later stages (owned by other branches) are stand-ins: no schema, include/extends/canonical/profiles
 * as identity, a naive merge (mappings merge, everything else replaced), a binder that only names the project.
 * For tests of the input stages only; end-to-end tests use {@code new ProjectLoader()}.
 */
public final class StandInStages {
    private StandInStages() {}

    /** What the profiles stand-in was asked for, so tests can check profile resolution. */
    public static final class Seen {
        public Set<String> profiles;
        public List<String> services;
        public CanonicalContext context;
    }

    public static ProjectLoader loader() {
        return loader(new Seen());
    }

    public static ProjectLoader loader(Seen seen) {
        return new ProjectLoader(stages(seen), new YamlReader());
    }

    static LoaderStages stages(Seen seen) {
        return new LoaderStages(
                tree -> { },
                (tree, file, source) -> tree,
                (tree, file, source) -> tree,
                StandInStages::merge,
                (tree, ctx, warnings) -> {
                    seen.context = ctx;
                    return tree;
                },
                (tree, profiles, services) -> {
                    seen.profiles = profiles;
                    seen.services = services;
                    return tree;
                },
                (Node tree, Consumer<Warning> warnings) -> { },
                (tree, dir) -> new Project(tree instanceof Node.Mapping m && m.get("name").orElse(null) instanceof Node.Scalar s ? s.text() : "x",
                        dir, new TreeMap<>(), new TreeMap<>(), new TreeMap<>(), new TreeMap<>(), new TreeMap<>(), new TreeMap<>()));
    }

    static Node merge(List<Node> trees) {
        Node out = trees.get(0);
        for (int i = 1; i < trees.size(); i++) out = merge(out, trees.get(i));
        return out;
    }

    private static Node merge(Node a, Node b) {
        if (!(a instanceof Node.Mapping ma) || !(b instanceof Node.Mapping mb)) return b;
        Map<String, Node.Entry> out = new LinkedHashMap<>();
        for (Node.Entry e : ma.entries()) out.put(e.name(), e);
        for (Node.Entry e : mb.entries()) {
            Node.Entry prev = out.get(e.name());
            out.put(e.name(), prev == null ? e : new Node.Entry(prev.key(), merge(prev.value(), e.value())));
        }
        return ma.withEntries(new ArrayList<>(out.values()));
    }
}
