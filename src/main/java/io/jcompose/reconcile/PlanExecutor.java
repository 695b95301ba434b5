package io.jcompose.reconcile;

import io.jcompose.graph.ParallelWalker;
import io.jcompose.reconcile.Action.AwaitCondition;
import io.jcompose.runtime.ContainerInfo;
import io.jcompose.runtime.ContainerRuntime;
import io.jcompose.runtime.ContainerSpec;
import io.jcompose.runtime.EngineException;
import io.jcompose.runtime.Event;
import io.jcompose.runtime.EventFilter;
import io.jcompose.runtime.Feed;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Runs a {@link Plan}: walks its DAG with at most {@code parallelism} actions at a time (the graph's
 * {@link ParallelWalker}), each action as soon as the ones it runs after are done. It makes no decisions: every
 * call it makes is an action of the plan (plus the reads an await needs). After the first failure no new action
 * starts; running ones finish, the rest are reported as skipped.
 *
 * <p><b>Awaits</b> ({@link AwaitCondition}) watch the engine's events ({@code start}, {@code die},
 * {@code health_status}) for the awaited containers and re-inspect them on every event, with a poll every
 * {@code pollInterval} as a fallback for engines whose event stream is missing or lossy. A dependency that exits or
 * turns unhealthy fails the await with the service, its state and its last health check output; a
 * {@code required: false} dependency only warns.
 */
public final class PlanExecutor {
    /** What happened to an action, for progress output. */
    public enum Status { STARTED, DONE, FAILED, SKIPPED, WARNING, PROGRESS }

    /** Receives progress; called from worker threads, so implementations synchronise their output. */
    @FunctionalInterface
    public interface Listener {
        void event(Action action, Status status, String detail);
    }

    /** A failure the user should read: one line, no stack trace. */
    public static final class ActionFailedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public ActionFailedException(String message) {
            super(message);
        }
    }

    /**
     * The outcome.
     *
     * @param failures action description → one-line message
     * @param skipped  actions never started because another failed
     */
    public record Result(SortedMap<String, String> failures, List<String> skipped, List<String> warnings) {
        public Result {
            failures = Collections.unmodifiableSortedMap(new TreeMap<>(failures));
            skipped = List.copyOf(skipped);
            warnings = List.copyOf(warnings);
        }

        public boolean succeeded() {
            return failures.isEmpty() && skipped.isEmpty();
        }
    }

    private final ContainerRuntime runtime;
    private final int parallelism;
    private final Listener listener;
    private final Optional<Duration> awaitTimeout;
    private final Duration pollInterval;
    private final Clock clock;
    private final List<String> warnings = Collections.synchronizedList(new ArrayList<>());

    /**
     * @param awaitTimeout {@code --wait-timeout}: the longest any await may take; empty: no limit
     * @param pollInterval how often an await re-inspects without an event (1 s in the CLI)
     */
    public PlanExecutor(ContainerRuntime runtime, int parallelism, Listener listener, Optional<Duration> awaitTimeout,
                        Duration pollInterval, Clock clock) {
        if (parallelism < 1) throw new IllegalArgumentException("parallelism must be >= 1, got " + parallelism);
        this.runtime = runtime;
        this.parallelism = parallelism;
        this.listener = listener;
        this.awaitTimeout = awaitTimeout;
        this.pollInterval = pollInterval;
        this.clock = clock;
    }

    public Result execute(Plan plan) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(parallelism, r -> {
            Thread t = new Thread(r, "jcompose-plan");
            t.setDaemon(true);
            return t;
        });
        try {
            ParallelWalker.Result<Boolean> r = ParallelWalker.walk(plan.graph(), ParallelWalker.Direction.DEPENDENCIES_FIRST,
                    parallelism, pool, node -> {
                        Action a = plan.actions().get(node);
                        listener.event(a, Status.STARTED, "");
                        try {
                            String detail = run(a);
                            listener.event(a, Status.DONE, detail);
                            return true;
                        } catch (RuntimeException e) {
                            listener.event(a, Status.FAILED, message(e));
                            throw e;
                        }
                    });
            SortedMap<String, String> failures = new TreeMap<>();
            r.failures().forEach((k, e) -> failures.put(k, message(e)));
            for (String s : r.skipped()) listener.event(plan.actions().get(s), Status.SKIPPED, "");
            return new Result(failures, new ArrayList<>(r.skipped()), warnings);
        } finally {
            pool.shutdownNow();
        }
    }

    static String message(Throwable e) {
        if (e instanceof ActionFailedException) return e.getMessage();
        if (e instanceof EngineException ee) return ee.getMessage();
        return String.valueOf(e.getMessage() == null ? e.toString() : e.getMessage());
    }

    /** Performs one action; returns a detail for the progress line (may be empty). */
    String run(Action action) {
        // Java 17 has no pattern switch: an if-chain, and a test runs one sample of every permitted subclass.
        if (action instanceof Action.CreateNetwork a) {
            runtime.networks().create(a.spec());
        } else if (action instanceof Action.CreateVolume a) {
            runtime.volumes().create(a.spec());
        } else if (action instanceof Action.PullImage a) {
            runtime.images().pull(a.image(), Optional.empty(), p -> { });
        } else if (action instanceof Action.BuildImage a) {
            try {
                return shortId(Reconciler.shortId(runtime.images().build(a.spec(), line -> listener.event(a, Status.PROGRESS, line.line()))));
            } catch (EngineException e) {
                // A failing step: the engine's own words; anything else (refused spec, unreachable engine): the full message.
                String why = e.category() == EngineException.Category.OTHER && !e.engineMessage().isEmpty() ? e.engineMessage() : e.getMessage();
                throw new ActionFailedException("service " + a.service() + " failed to build: " + why);
            }
        } else if (action instanceof Action.CreateContainer a) {
            ContainerSpec spec = a.spec();
            if (!spec.labels().containsKey(Labels.IMAGE)) {
                // Only known now when the image was pulled by this plan: record which image the container got.
                spec = spec.toBuilder().label(Labels.IMAGE, runtime.images().inspect(spec.image()).id()).build();
            }
            return shortId(runtime.containers().create(spec));
        } else if (action instanceof Action.StartContainer a) {
            runtime.containers().start(a.container());
        } else if (action instanceof AwaitCondition a) {
            return await(a);
        } else if (action instanceof Action.StopContainer a) {
            runtime.containers().stop(a.container(), a.timeout().orElse(null));
        } else if (action instanceof Action.RemoveContainer a) {
            ignoreMissing(() -> runtime.containers().remove(a.container(), true, a.volumes()));
        } else if (action instanceof Action.RenameContainer a) {
            runtime.containers().rename(a.container(), a.newName());
        } else if (action instanceof Action.DisconnectNetwork a) {
            ignoreMissing(() -> runtime.networks().disconnect(a.network(), a.container(), true));
        } else if (action instanceof Action.ConnectNetwork a) {
            runtime.networks().connect(a.network(), a.container(), a.attachment());
        } else if (action instanceof Action.RemoveNetwork a) {
            ignoreMissing(() -> runtime.networks().remove(a.network()));
        } else if (action instanceof Action.RemoveVolume a) {
            ignoreMissing(() -> runtime.volumes().remove(a.volume(), false));
        } else if (action instanceof Action.RemoveImage a) {
            ignoreMissing(() -> runtime.images().remove(a.image(), false));
        } else {
            throw new IllegalStateException("no executor for " + action.getClass().getSimpleName());
        }
        return "";
    }

    static String human(Duration d) {
        return d.toMillis() < 1000 ? d.toMillis() + "ms" : d.toSeconds() + "s";
    }

    private static String shortId(String id) {
        return id.length() > 12 ? id.substring(0, 12) : id;
    }

    /** Removing what is already gone reaches the goal: not an error. */
    private static void ignoreMissing(Runnable r) {
        try {
            r.run();
        } catch (EngineException e) {
            if (!e.isNotFound()) throw e;
        }
    }

    /**
     * docker compose looks at a dependency first half a second after it started (its poll tick): a container that
     * exits at once is reported as exited, not as lacking a healthcheck. A "no healthcheck" verdict waits that long.
     */
    static final Duration NO_HEALTHCHECK_GRACE = Duration.ofMillis(500);

    private String await(AwaitCondition a) {
        Instant began = clock.instant();
        Instant deadline = awaitTimeout.map(t -> clock.instant().plus(t)).orElse(null);
        Object signal = new Object();
        boolean[] dirty = {true};
        // Events are subscribed to only when the first look is not enough: on a re-run every await is usually
        // satisfied already, and each subscription is a request and a thread.
        Runnable stopEvents = null;
        try {
            while (true) {
                synchronized (signal) {
                    dirty[0] = false;
                }
                Verdict v = verdict(a);
                if (v.ok()) return v.detail();
                boolean early = v.soft() && Duration.between(began, clock.instant()).compareTo(NO_HEALTHCHECK_GRACE) < 0;
                if (v.failure() != null && !early) {
                    // As docker compose: a failed one-shot is reported as it is, other dependencies as failed to start.
                    String msg = (a.cause().equals("--wait") ? "service not ready: "
                            : a.condition() == Action.Condition.COMPLETED_SUCCESSFULLY ? "" : "dependency failed to start: ") + v.failure();
                    if (!a.required()) {
                        // docker compose's warnings (convergence.go waitDependencies), word for word.
                        String w = switch (a.condition()) {
                            case COMPLETED_SUCCESSFULLY -> "optional dependency \"" + a.service() + "\" didn't complete successfully: "
                                    + v.failure().replaceFirst("^.*didn't complete successfully: ", "");
                            case RUNNING_OR_HEALTHY -> "optional dependency \"" + a.service() + "\" is not running or is unhealthy: " + v.failure();
                            default -> "optional dependency \"" + a.service() + "\" failed to start: " + v.failure();
                        };
                        warnings.add(w);
                        listener.event(a, Status.WARNING, w);
                        return "skipped (required: false)";
                    }
                    throw new ActionFailedException(msg);
                }
                if (stopEvents == null) {
                    stopEvents = openEvents(a, signal, dirty);
                    continue; // look again: what happened before the subscription is not in the stream
                }
                long waitMs = early ? Math.min(pollInterval.toMillis(), 100) : pollInterval.toMillis();
                if (deadline != null) {
                    long left = Duration.between(clock.instant(), deadline).toMillis();
                    if (left <= 0) {
                        throw new ActionFailedException("timed out after " + human(awaitTimeout.get()) + " waiting for service "
                                + a.service() + " to be " + a.condition().word() + " (" + v.detail() + ")");
                    }
                    waitMs = Math.min(waitMs, left);
                }
                synchronized (signal) {
                    if (!dirty[0]) {
                        try {
                            signal.wait(Math.max(1, waitMs));
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new ActionFailedException("interrupted while waiting for service " + a.service());
                        }
                    }
                }
            }
        } finally {
            if (stopEvents != null) stopEvents.run();
        }
    }

    /**
     * Watches the awaited containers' events on a daemon thread that wakes the waiter on each one. The stream is
     * opened on that thread too: an engine may send nothing (not even headers) until the first matching event, and
     * the waiter must keep polling meanwhile.
     */
    private Runnable openEvents(AwaitCondition a, Object signal, boolean[] dirty) {
        java.util.concurrent.atomic.AtomicReference<Feed<Event>> feed = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
        Thread reader = new Thread(() -> {
            try {
                Feed<Event> f = runtime.events().stream(new EventFilter(null, null, Map.of("type", List.of("container"),
                        "container", a.containers(), "event", List.of("start", "die", "health_status", "destroy"))));
                feed.set(f);
                if (closed.get()) {
                    f.close();
                    return;
                }
                while (f.hasNext()) {
                    f.next();
                    synchronized (signal) {
                        dirty[0] = true;
                        signal.notifyAll();
                    }
                }
            } catch (RuntimeException e) {
                // No events, or the stream broke (or we closed it): the poll alone still works.
            }
        }, "jcompose-await-events");
        reader.setDaemon(true);
        reader.start();
        return () -> {
            closed.set(true);
            Feed<Event> f = feed.get();
            if (f != null) f.close();
        };
    }

    /**
     * ok: satisfied; failure non-null: can never be satisfied; else keep waiting. {@code detail}: current state.
     * {@code soft}: a failure that may still turn into a more precise one (no healthcheck on a container that may be
     * about to exit).
     */
    private record Verdict(boolean ok, String failure, String detail, boolean soft) {
        Verdict(boolean ok, String failure, String detail) {
            this(ok, failure, detail, false);
        }
    }

    private Verdict verdict(AwaitCondition a) {
        List<String> states = new ArrayList<>();
        boolean allOk = true;
        for (String name : a.containers()) {
            ContainerInfo i;
            try {
                i = runtime.containers().inspect(name);
            } catch (EngineException e) {
                if (e.isNotFound()) return new Verdict(false, "container " + name + " does not exist", "");
                throw e;
            }
            var st = i.state();
            String health = st.health().map(h -> h.status()).orElse("");
            String state = st.status() + (health.isEmpty() ? "" : " (" + health + ")");
            states.add(name + ": " + state);
            boolean exited = st.status().equals("exited") || st.status().equals("dead");
            // docker compose's words: "container NAME exited (1)", "service \"db\" didn't complete successfully: exit 1".
            String who = "container " + name;
            switch (a.condition()) {
                case STARTED -> allOk &= st.running() || exited;
                case COMPLETED_SUCCESSFULLY -> {
                    if (exited && st.exitCode() != 0) {
                        return new Verdict(false, "service \"" + a.service() + "\" didn't complete successfully: exit " + st.exitCode(), "");
                    }
                    allOk &= exited;
                }
                case HEALTHY, RUNNING_OR_HEALTHY -> {
                    if (exited) return new Verdict(false, who + " exited (" + st.exitCode() + ")" + lastOutput(st), "");
                    if (st.health().isPresent()) {
                        if (st.health().get().isUnhealthy()) return new Verdict(false, who + " is unhealthy" + lastOutput(st), "");
                        allOk &= st.health().get().isHealthy();
                    } else if (a.condition() == Action.Condition.HEALTHY) {
                        return new Verdict(false, who + " has no healthcheck configured", "", true);
                    } else {
                        allOk &= st.running();
                    }
                }
            }
        }
        return new Verdict(allOk, null, String.join(", ", states));
    }

    private static String lastOutput(io.jcompose.runtime.ContainerState st) {
        String out = st.health().map(h -> h.lastOutput()).orElse("");
        return out.isEmpty() ? "" : "; last health check output: " + out.replace('\n', ' ');
    }
}
