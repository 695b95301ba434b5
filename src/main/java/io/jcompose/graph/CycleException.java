package io.jcompose.graph;

import java.util.List;

/** The graph has a dependency cycle; {@link #cycle()} is the stable path, e.g. {@code [a, b, a]}. */
public final class CycleException extends IllegalStateException {
    private static final long serialVersionUID = 1L;
    private final List<String> cycle;

    public CycleException(List<String> cycle) {
        super("dependency cycle: " + String.join(" -> ", cycle));
        this.cycle = List.copyOf(cycle);
    }

    public List<String> cycle() {
        return cycle;
    }
}
