package io.jcompose.graph;

import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Runs a task per node of a graph, each as soon as all the nodes it waits for are done, at most
 * {@code parallelism} at a time on the given executor. After the first failure no new task is started:
 * running ones finish, the rest are reported as skipped. Ready nodes start in name order.
 */
public final class ParallelWalker {
    /** Which way to walk. */
    public enum Direction {
        /** A node runs after its dependencies (create, start). */
        DEPENDENCIES_FIRST,
        /** A node runs after its dependents (stop, remove). */
        DEPENDENTS_FIRST
    }

    /** The work for one node. */
    @FunctionalInterface
    public interface NodeTask<R> {
        R run(String node) throws Exception;
    }

    /** What happened: results of succeeded nodes, failures, and nodes never started. */
    public record Result<R>(SortedMap<String, R> results, SortedMap<String, Throwable> failures,
                            SortedSet<String> skipped) {
        public Result {
            results = Collections.unmodifiableSortedMap(new TreeMap<>(results));
            failures = Collections.unmodifiableSortedMap(new TreeMap<>(failures));
            skipped = Collections.unmodifiableSortedSet(new TreeSet<>(skipped));
        }

        public boolean succeeded() {
            return failures.isEmpty() && skipped.isEmpty();
        }
    }

    private ParallelWalker() {}

    /**
     * Walks the whole graph. Blocks until every started task has finished.
     *
     * @throws CycleException       before running anything, if the graph has a cycle
     * @throws InterruptedException if the calling thread is interrupted (running tasks are left to finish)
     */
    public static <R> Result<R> walk(Graph graph, Direction direction, int parallelism, Executor executor,
                                     NodeTask<R> task) throws InterruptedException {
        if (parallelism < 1) throw new IllegalArgumentException("parallelism must be >= 1, got " + parallelism);
        graph.findCycle().ifPresent(c -> {
            throw new CycleException(c);
        });
        boolean forward = direction == Direction.DEPENDENCIES_FIRST;
        ReentrantLock lock = new ReentrantLock();
        Condition changed = lock.newCondition();
        Map<String, Integer> waiting = new HashMap<>();
        PriorityQueue<String> ready = new PriorityQueue<>();
        for (String n : graph.nodes()) {
            int count = (forward ? graph.dependenciesOf(n) : graph.dependentsOf(n)).size();
            waiting.put(n, count);
            if (count == 0) ready.add(n);
        }
        SortedMap<String, R> results = new TreeMap<>();
        SortedMap<String, Throwable> failures = new TreeMap<>();
        SortedSet<String> pending = new TreeSet<>(graph.nodes());
        int[] running = {0};

        lock.lock();
        try {
            while (true) {
                while (failures.isEmpty() && !ready.isEmpty() && running[0] < parallelism) {
                    String node = ready.poll();
                    pending.remove(node);
                    running[0]++;
                    Runnable job = () -> {
                        R r = null;
                        Throwable error = null;
                        try {
                            r = task.run(node);
                        } catch (Throwable t) {
                            error = t;
                        }
                        lock.lock();
                        try {
                            running[0]--;
                            if (error != null) {
                                failures.put(node, error);
                            } else {
                                results.put(node, r);
                                for (String next : forward ? graph.dependentsOf(node) : graph.dependenciesOf(node)) {
                                    if (waiting.merge(next, -1, Integer::sum) == 0) ready.add(next);
                                }
                            }
                            changed.signalAll();
                        } finally {
                            lock.unlock();
                        }
                    };
                    try {
                        executor.execute(job);
                    } catch (RejectedExecutionException e) {
                        running[0]--;
                        failures.put(node, e);
                    }
                }
                boolean canStart = failures.isEmpty() && !ready.isEmpty();
                if (running[0] == 0 && !canStart) break;
                changed.await();
            }
            return new Result<>(results, failures, pending);
        } finally {
            lock.unlock();
        }
    }

    /** Convenience: the order in which a sequential walk would run the nodes. */
    public static List<String> sequentialOrder(Graph graph, Direction direction) {
        return direction == Direction.DEPENDENCIES_FIRST ? graph.topologicalOrder() : graph.reverseOrder();
    }
}
