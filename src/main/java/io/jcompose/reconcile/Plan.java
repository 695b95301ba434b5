package io.jcompose.reconcile;

import io.jcompose.graph.Graph;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;

/**
 * What the reconciler decided: a DAG of {@link Action}s (an edge a → b: a runs after b) and the warnings to show.
 *
 * <p><b>Text form</b> ({@link #text()}; what {@code up --dry-run} prints and golden files hold): one action per line
 * in the graph's stable topological order (dependencies first, ties by description), each as
 * {@code <description>[  (after: <description>, …)]  — <cause>}, then one {@code warning: …} line per warning.
 * An empty plan is the single line {@code nothing to do}. Worked example (db has a health check, web depends on it
 * with {@code condition: service_healthy}, both missing):
 * <pre>
 * create network demo_default  — missing
 * pull image busybox:latest  — missing
 * create container demo-db-1  (after: create network demo_default, pull image busybox:latest)  — missing
 * start container demo-db-1  (after: create container demo-db-1)  — created
 * await db healthy  (after: start container demo-db-1)  — web depends on db (service_healthy)
 * create container demo-web-1  (after: await db healthy, create network demo_default, pull image busybox:latest)  — missing
 * start container demo-web-1  (after: await db healthy, create container demo-web-1)  — created
 * </pre>
 */
public record Plan(Graph graph, Map<String, Action> actions, List<String> warnings) {
    public Plan {
        actions = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(actions));
        warnings = List.copyOf(warnings);
        if (!graph.nodes().equals(new java.util.TreeSet<>(actions.keySet()))) {
            throw new IllegalArgumentException("plan graph and actions disagree");
        }
    }

    public static Plan empty(List<String> warnings) {
        return new Plan(Graph.builder().build(), Map.of(), warnings);
    }

    public boolean isEmpty() {
        return actions.isEmpty();
    }

    /** Actions in the order the text shows them (and a sequential executor would run them). */
    public List<Action> ordered() {
        List<Action> out = new ArrayList<>();
        for (String d : graph.topologicalOrder()) out.add(actions.get(d));
        return out;
    }

    /** The plan of the actions {@code keep} accepts, with the ordering edges among them (warnings dropped). */
    public Plan restrict(java.util.function.Predicate<Action> keep) {
        List<String> nodes = actions.keySet().stream().filter(d -> keep.test(actions.get(d))).toList();
        Map<String, Action> kept = new LinkedHashMap<>();
        nodes.forEach(d -> kept.put(d, actions.get(d)));
        return new Plan(graph.subgraph(nodes), kept, List.of());
    }

    /** The actions this one runs after. */
    public List<Action> dependenciesOf(Action a) {
        SortedSet<String> deps = graph.dependenciesOf(a.describe());
        return deps.stream().map(actions::get).toList();
    }

    /** The plan's text form; see the class comment. */
    public String text() {
        StringBuilder sb = new StringBuilder();
        if (actions.isEmpty()) sb.append("nothing to do\n");
        for (Action a : ordered()) {
            sb.append(a.describe());
            SortedSet<String> deps = graph.dependenciesOf(a.describe());
            if (!deps.isEmpty()) sb.append("  (after: ").append(String.join(", ", deps)).append(')');
            sb.append("  — ").append(a.cause()).append('\n');
        }
        for (String w : warnings) sb.append("warning: ").append(w).append('\n');
        return sb.toString();
    }

    /** Collects actions and ordering edges; adding an action twice keeps the first. */
    static final class Builder {
        private final Map<String, Action> actions = new LinkedHashMap<>();
        private final Graph.Builder graph = Graph.builder();
        private final List<String> warnings = new ArrayList<>();

        Action add(Action a) {
            Action prev = actions.putIfAbsent(a.describe(), a);
            if (prev == null) graph.node(a.describe());
            return prev == null ? a : prev;
        }

        /** {@code a} runs after {@code b}; ignored when either is absent (null). */
        void after(Action a, Action b) {
            if (a == null || b == null || a == b) return;
            graph.edge(a.describe(), b.describe());
        }

        boolean contains(String description) {
            return actions.containsKey(description);
        }

        Action get(String description) {
            return actions.get(description);
        }

        void warn(String w) {
            warnings.add(w);
        }

        Plan build() {
            return new Plan(graph.build(), actions, warnings);
        }
    }
}
