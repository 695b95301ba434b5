package io.jcompose.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jcompose.graph.ParallelWalker.Direction;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ParallelWalkerTest {
    private final ExecutorService pool = Executors.newFixedThreadPool(8);
    private final Graph g = Graph.builder().edge("web", "api").edge("api", "db").edge("web", "cache")
            .edge("worker", "db").build();

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    @Test
    void everyNodeRunsAfterItsDependencies() throws Exception {
        List<String> done = Collections.synchronizedList(new ArrayList<>());
        var result = ParallelWalker.walk(g, Direction.DEPENDENCIES_FIRST, 4, pool, n -> {
            for (String d : g.dependenciesOf(n)) assertThat(done).contains(d);
            done.add(n);
            return n.toUpperCase();
        });
        assertThat(result.succeeded()).isTrue();
        assertThat(result.results()).containsEntry("web", "WEB").hasSize(5);
        assertThat(done).hasSize(5);
    }

    @Test
    void reverseWalkRunsDependentsFirst() throws Exception {
        List<String> done = Collections.synchronizedList(new ArrayList<>());
        var result = ParallelWalker.walk(g, Direction.DEPENDENTS_FIRST, 4, pool, n -> {
            for (String d : g.dependentsOf(n)) assertThat(done).contains(d);
            done.add(n);
            return null;
        });
        assertThat(result.succeeded()).isTrue();
        assertThat(done.get(done.size() - 1)).isEqualTo("db");
    }

    @Test
    void parallelismIsBoundedAndUsed() throws Exception {
        Graph wide = Graph.builder().node("a").node("b").node("c").node("d").node("e").node("f").build();
        AtomicInteger now = new AtomicInteger();
        AtomicInteger max = new AtomicInteger();
        CountDownLatch twoRunning = new CountDownLatch(2);
        ParallelWalker.walk(wide, Direction.DEPENDENCIES_FIRST, 2, pool, n -> {
            max.accumulateAndGet(now.incrementAndGet(), Math::max);
            twoRunning.countDown();
            // Hold until a second task runs concurrently, proving parallelism 2 is used (bounded wait).
            twoRunning.await(5, TimeUnit.SECONDS);
            now.decrementAndGet();
            return null;
        });
        assertThat(max.get()).isEqualTo(2);
    }

    @Test
    void firstFailureStopsSchedulingAndReportsSkipped() throws Exception {
        var result = ParallelWalker.walk(g, Direction.DEPENDENCIES_FIRST, 1, pool, n -> {
            if (n.equals("db")) throw new IllegalStateException("db failed");
            return n;
        });
        assertThat(result.succeeded()).isFalse();
        assertThat(result.failures()).containsOnlyKeys("db");
        assertThat(result.failures().get("db")).hasMessage("db failed");
        // parallelism 1, name order: cache ran first, then db failed; nothing after.
        assertThat(result.results()).containsOnlyKeys("cache");
        assertThat(result.skipped()).containsExactly("api", "web", "worker");
    }

    @Test
    void cycleIsRejectedBeforeRunning() {
        Graph c = Graph.builder().edge("a", "b").edge("b", "a").node("z").build();
        AtomicInteger ran = new AtomicInteger();
        assertThatThrownBy(() -> ParallelWalker.walk(c, Direction.DEPENDENCIES_FIRST, 2, pool,
                n -> ran.incrementAndGet())).isInstanceOf(CycleException.class);
        assertThat(ran.get()).isZero();
    }

    @Test
    void emptyGraphSucceeds() throws Exception {
        var result = ParallelWalker.walk(Graph.builder().build(), Direction.DEPENDENCIES_FIRST, 2, pool, n -> n);
        assertThat(result.succeeded()).isTrue();
        assertThat(result.results()).isEmpty();
    }
}
