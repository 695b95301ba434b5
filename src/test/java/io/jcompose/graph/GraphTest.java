package io.jcompose.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GraphTest {
    // web → api → db, web → cache, worker → db; lone has no edges
    private final Graph g = Graph.builder().edge("web", "api").edge("api", "db").edge("web", "cache")
            .edge("worker", "db").node("lone").build();

    @Test
    void topologicalOrderPutsDependenciesFirstAndBreaksTiesByName() {
        assertThat(g.topologicalOrder()).containsExactly("cache", "db", "api", "lone", "web", "worker");
    }

    @Test
    void reverseOrderPutsDependentsFirst() {
        assertThat(g.reverseOrder()).containsExactly("lone", "web", "api", "cache", "worker", "db");
    }

    @Test
    void orderDoesNotDependOnInsertionOrder() {
        Graph other = Graph.builder().node("lone").edge("worker", "db").edge("web", "cache").edge("api", "db")
                .edge("web", "api").build();
        assertThat(other.topologicalOrder()).isEqualTo(g.topologicalOrder());
        assertThat(other.reverseOrder()).isEqualTo(g.reverseOrder());
    }

    @Test
    void closures() {
        assertThat(g.dependencyClosure(List.of("web"))).containsExactly("api", "cache", "db", "web");
        assertThat(g.dependentClosure(List.of("db"))).containsExactly("api", "db", "web", "worker");
        assertThat(g.dependencyClosure(List.of("lone", "worker"))).containsExactly("db", "lone", "worker");
        assertThat(g.dependentsOf("db")).containsExactly("api", "worker");
        assertThat(g.dependenciesOf("web")).containsExactly("api", "cache");
    }

    @Test
    void unknownNodeIsNamedInTheError() {
        assertThatThrownBy(() -> g.dependencyClosure(List.of("nope")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown node \"nope\"");
    }

    @Test
    void acyclicGraphHasNoCycle() {
        assertThat(g.findCycle()).isEmpty();
    }

    @Test
    void cycleStartsAtSmallestName() {
        Graph c = Graph.builder().edge("b", "c").edge("c", "a").edge("a", "b").edge("x", "b").build();
        assertThat(c.findCycle()).contains(List.of("a", "b", "c", "a"));
        assertThatThrownBy(c::topologicalOrder).isInstanceOf(CycleException.class)
                .hasMessage("dependency cycle: a -> b -> c -> a");
    }

    @Test
    void twoNodeAndSelfCycles() {
        assertThat(Graph.builder().edge("b", "a").edge("a", "b").build().findCycle()).contains(List.of("a", "b", "a"));
        assertThat(Graph.builder().edge("s", "s").build().findCycle()).contains(List.of("s", "s"));
    }

    @Test
    void subgraphDropsOutsideEdges() {
        Graph sub = g.subgraph(Set.of("web", "api"));
        assertThat(sub.nodes()).containsExactly("api", "web");
        assertThat(sub.topologicalOrder()).containsExactly("api", "web");
        assertThat(sub.dependenciesOf("web")).containsExactly("api");
    }
}
