package io.jcompose.graph;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * An immutable directed graph of named nodes where an edge {@code a → b} means "a depends on b" (b must come
 * first). Every answer is deterministic: ties are broken by node name, so plans and error messages are stable.
 *
 * <p>Example: edges web → api, api → db, web → cache give
 * {@code topologicalOrder() = [cache, db, api, web]} and {@code reverseOrder() = [web, api, cache, db]}.
 */
public final class Graph {
    private final SortedMap<String, SortedSet<String>> dependencies; // node → what it depends on
    private final SortedMap<String, SortedSet<String>> dependents;   // node → what depends on it

    private Graph(SortedMap<String, SortedSet<String>> dependencies) {
        SortedMap<String, SortedSet<String>> deps = new TreeMap<>();
        SortedMap<String, SortedSet<String>> rev = new TreeMap<>();
        dependencies.forEach((n, ds) -> {
            deps.put(n, Collections.unmodifiableSortedSet(new TreeSet<>(ds)));
            rev.computeIfAbsent(n, k -> new TreeSet<>());
            for (String d : ds) rev.computeIfAbsent(d, k -> new TreeSet<>()).add(n);
        });
        rev.replaceAll((k, v) -> Collections.unmodifiableSortedSet(v));
        this.dependencies = Collections.unmodifiableSortedMap(deps);
        this.dependents = Collections.unmodifiableSortedMap(rev);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** All nodes, sorted by name. */
    public SortedSet<String> nodes() {
        return Collections.unmodifiableSortedSet(new TreeSet<>(dependencies.keySet()));
    }

    public boolean contains(String node) {
        return dependencies.containsKey(node);
    }

    /** Direct dependencies of a node (its out-edges). Fails if the node is unknown. */
    public SortedSet<String> dependenciesOf(String node) {
        return require(dependencies, node);
    }

    /** Direct dependents of a node (its in-edges). Fails if the node is unknown. */
    public SortedSet<String> dependentsOf(String node) {
        return require(dependents, node);
    }

    /**
     * Dependencies first; among nodes whose dependencies are all placed, the smallest name comes first.
     *
     * @throws CycleException if the graph has a cycle
     */
    public List<String> topologicalOrder() {
        return kahn(dependencies, dependents);
    }

    /** Dependents first (the order to stop or remove things); ties by name. */
    public List<String> reverseOrder() {
        return kahn(dependents, dependencies);
    }

    /** The given nodes and everything they depend on, transitively. */
    public SortedSet<String> dependencyClosure(Collection<String> nodes) {
        return closure(nodes, dependencies);
    }

    /** The given nodes and everything that depends on them, transitively. */
    public SortedSet<String> dependentClosure(Collection<String> nodes) {
        return closure(nodes, dependents);
    }

    /** The graph restricted to the given nodes (edges to nodes outside are dropped). */
    public Graph subgraph(Collection<String> nodes) {
        SortedMap<String, SortedSet<String>> sub = new TreeMap<>();
        for (String n : nodes) {
            SortedSet<String> ds = new TreeSet<>(require(dependencies, n));
            ds.retainAll(nodes);
            sub.put(n, ds);
        }
        return new Graph(sub);
    }

    /**
     * A cycle, if any: its path starting and ending at its smallest node, following dependency edges,
     * e.g. {@code [a, b, a]} for a → b → a. Among several cycles, the one found first by a depth-first search
     * in name order is returned, so the answer is stable.
     */
    public Optional<List<String>> findCycle() {
        Map<String, Integer> state = new HashMap<>(); // absent: unvisited, 1: on stack, 2: done
        Deque<String> stack = new ArrayDeque<>();
        for (String start : dependencies.keySet()) {
            if (state.containsKey(start)) continue;
            Optional<List<String>> c = dfs(start, state, stack);
            if (c.isPresent()) return c;
        }
        return Optional.empty();
    }

    private Optional<List<String>> dfs(String node, Map<String, Integer> state, Deque<String> stack) {
        state.put(node, 1);
        stack.addLast(node);
        for (String d : dependencies.get(node)) {
            Integer s = state.get(d);
            if (s == null) {
                Optional<List<String>> c = dfs(d, state, stack);
                if (c.isPresent()) return c;
            } else if (s == 1) {
                List<String> path = new ArrayList<>(stack);
                List<String> cycle = new ArrayList<>(path.subList(path.indexOf(d), path.size()));
                int min = cycle.indexOf(Collections.min(cycle));
                Collections.rotate(cycle, -min);
                cycle.add(cycle.get(0));
                return Optional.of(List.copyOf(cycle));
            }
        }
        stack.removeLast();
        state.put(node, 2);
        return Optional.empty();
    }

    private List<String> kahn(SortedMap<String, SortedSet<String>> before, SortedMap<String, SortedSet<String>> after) {
        Map<String, Integer> waiting = new HashMap<>();
        PriorityQueue<String> ready = new PriorityQueue<>();
        before.forEach((n, ds) -> {
            waiting.put(n, ds.size());
            if (ds.isEmpty()) ready.add(n);
        });
        List<String> order = new ArrayList<>(before.size());
        while (!ready.isEmpty()) {
            String n = ready.poll();
            order.add(n);
            for (String next : after.get(n)) {
                if (waiting.merge(next, -1, Integer::sum) == 0) ready.add(next);
            }
        }
        if (order.size() < before.size()) {
            throw new CycleException(findCycle().orElseThrow(() -> new IllegalStateException("cycle not found")));
        }
        return List.copyOf(order);
    }

    private SortedSet<String> closure(Collection<String> nodes, SortedMap<String, SortedSet<String>> edges) {
        SortedSet<String> seen = new TreeSet<>();
        Deque<String> todo = new ArrayDeque<>();
        for (String n : nodes) {
            require(edges, n);
            if (seen.add(n)) todo.add(n);
        }
        while (!todo.isEmpty()) {
            for (String d : edges.get(todo.poll())) {
                if (seen.add(d)) todo.add(d);
            }
        }
        return Collections.unmodifiableSortedSet(seen);
    }

    private static SortedSet<String> require(SortedMap<String, SortedSet<String>> edges, String node) {
        SortedSet<String> s = edges.get(node);
        if (s == null) throw new IllegalArgumentException("unknown node \"" + node + "\" (known: " + edges.keySet() + ")");
        return s;
    }

    @Override
    public String toString() {
        return dependencies.toString();
    }

    /** Collects nodes and edges; an edge adds its ends as nodes. */
    public static final class Builder {
        private final SortedMap<String, SortedSet<String>> deps = new TreeMap<>();

        private Builder() {}

        public Builder node(String name) {
            if (name == null || name.isEmpty()) throw new IllegalArgumentException("node name must not be empty");
            deps.computeIfAbsent(name, k -> new TreeSet<>());
            return this;
        }

        /** {@code from} depends on {@code to}: {@code to} comes first in topological order. */
        public Builder edge(String from, String to) {
            node(from);
            node(to);
            deps.get(from).add(to);
            return this;
        }

        public Graph build() {
            return new Graph(deps);
        }
    }
}
