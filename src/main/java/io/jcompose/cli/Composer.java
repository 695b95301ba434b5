package io.jcompose.cli;

import io.jcompose.model.Project;
import io.jcompose.reconcile.Action;
import io.jcompose.reconcile.DownOptions;
import io.jcompose.reconcile.Labels;
import io.jcompose.reconcile.Observed;
import io.jcompose.reconcile.Plan;
import io.jcompose.reconcile.PlanExecutor;
import io.jcompose.reconcile.Reconciler;
import io.jcompose.reconcile.UpOptions;
import io.jcompose.runtime.ContainerRuntime;
import io.jcompose.runtime.ContainerSummary;
import io.jcompose.runtime.Feed;
import io.jcompose.runtime.LogFrame;
import io.jcompose.runtime.LogOptions;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The verbs' work once the project is loaded and an engine chosen: observe → plan → print or execute. The picocli
 * commands only parse flags and call this, so tests drive it with a fake engine.
 */
final class Composer {
    private final ContainerRuntime runtime;
    private final PrintStream out;
    private final PrintStream err;
    private final PlanExecutor.Listener progress;
    private final int parallelism;

    Composer(ContainerRuntime runtime, PrintStream out, PrintStream err, PlanExecutor.Listener progress, int parallelism) {
        this.runtime = runtime;
        this.out = out;
        this.err = err;
        this.progress = progress;
        this.parallelism = parallelism;
    }

    /** {@code COMPOSE_PARALLEL_LIMIT}, else 8 (a flag overrides both). */
    static int parallelism(Integer flag, java.util.function.Function<String, String> env) {
        if (flag != null) {
            if (flag < 1) throw new CliException(ExitCodes.COMMAND_SYNTAX, "--parallel must be >= 1, got " + flag);
            return flag;
        }
        String v = env.apply("COMPOSE_PARALLEL_LIMIT");
        try {
            return v == null || v.isEmpty() ? 8 : Math.max(1, Integer.parseInt(v));
        } catch (NumberFormatException e) {
            throw new CliException(ExitCodes.COMMAND_SYNTAX, "COMPOSE_PARALLEL_LIMIT must be a number, got \"" + v + "\"");
        }
    }

    int up(Project p, UpOptions options, boolean dryRun, Optional<Duration> waitTimeout) throws InterruptedException {
        Plan plan = plan(p, Observed.read(runtime, p.name()), options);
        int code;
        List<Plan> executed = new ArrayList<>();
        if (!dryRun && plan.actions().values().stream().anyMatch(a -> a instanceof Action.BuildImage)) {
            // Builds first, with everything that does not wait for them (pulls, networks, volumes, unrelated
            // services); then observe and plan again: a rebuilt image has a new id only now, and a container on the
            // old one must be recreated (docker compose also builds before it converges containers). The dry run
            // shows the one plan with the builds in it.
            Plan first = plan.restrict(independentOfBuilds(plan));
            code = run(first, false, waitTimeout);
            if (code != ExitCodes.OK) return code;
            executed.add(first);
            plan = plan(p, Observed.read(runtime, p.name()), options.with(b -> {
                b.build = UpOptions.BuildPolicy.NEVER;
                b.pull = Optional.of(UpOptions.PullPolicy.NEVER);
                return b;
            }));
        }
        code = run(plan, dryRun, waitTimeout);
        executed.add(plan);
        // post_start hooks of the containers this plan started, in plan order (after the whole plan: a known
        // difference from docker compose, which runs each right after its container starts).
        if (code == ExitCodes.OK && !dryRun) {
            for (Plan done : executed) {
                for (Action a : done.ordered()) {
                    if (a instanceof Action.StartContainer st && p.services().containsKey(st.service())) {
                        Hooks.run(runtime, st.container(), p.services().get(st.service()).postStart(), "post_start", err);
                    }
                }
            }
        }
        return code;
    }

    /**
     * The builds and what may run beside them: actions that wait for no build and touch no service whose image is
     * being built (its containers are decided by the second plan, once the new image id is known).
     */
    private static java.util.function.Predicate<Action> independentOfBuilds(Plan plan) {
        List<String> builds = new ArrayList<>();
        java.util.Set<String> built = new java.util.TreeSet<>();
        plan.actions().values().forEach(a -> {
            if (a instanceof Action.BuildImage b) {
                builds.add(b.describe());
                built.add(b.service());
            }
        });
        java.util.SortedSet<String> waiting = plan.graph().dependentClosure(builds);
        return a -> a instanceof Action.BuildImage || (!waiting.contains(a.describe())
                && (serviceOf(a) == null || !built.contains(serviceOf(a))));
    }

    private static String serviceOf(Action a) {
        if (a instanceof Action.CreateContainer x) return x.service();
        if (a instanceof Action.StartContainer x) return x.service();
        if (a instanceof Action.StopContainer x) return x.service();
        if (a instanceof Action.RemoveContainer x) return x.service();
        if (a instanceof Action.AwaitCondition x) return x.service();
        return null;
    }

    private static Plan plan(Project p, Observed o, UpOptions options) {
        try {
            return Reconciler.up(p, o, options);
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.COMMAND_SYNTAX, "up: " + e.getMessage());
        } catch (IllegalStateException e) {
            throw new CliException(ExitCodes.FAILURE, e.getMessage());
        }
    }

    /** {@code jcompose build}: the build plan, printed ({@code dryRun}) or run; a failed build exits 17. */
    int build(Plan plan, boolean dryRun) throws InterruptedException {
        if (plan.isEmpty() && !dryRun) {
            err.println("no service to build (none of the selected services has a build section)");
            return ExitCodes.OK;
        }
        return run(plan, dryRun, Optional.empty());
    }

    int down(Project p, DownOptions options, boolean dryRun) throws InterruptedException {
        Plan plan = Reconciler.down(p, Observed.read(runtime, p.name()), options);
        if (!dryRun) preStop(p, plan);
        return run(plan, dryRun, Optional.empty());
    }

    /** pre_stop hooks of the containers a plan stops; a failing hook is a warning: the stop goes ahead. */
    void preStop(Project p, Plan plan) {
        for (Action a : plan.ordered()) {
            if (a instanceof Action.StopContainer st && st.service() != null && p.services().containsKey(st.service())) {
                try {
                    Hooks.run(runtime, st.container(), p.services().get(st.service()).preStop(), "pre_stop", err);
                } catch (CliException | io.jcompose.runtime.EngineException e) {
                    err.println("warning: " + e.getMessage());
                }
            }
        }
    }

    private int run(Plan plan, boolean dryRun, Optional<Duration> waitTimeout) throws InterruptedException {
        if (dryRun) {
            out.print(plan.text());
            return ExitCodes.OK;
        }
        for (String w : plan.warnings()) err.println("warning: " + w);
        PlanExecutor.Result r = new PlanExecutor(runtime, parallelism, progress, waitTimeout, Duration.ofSeconds(1),
                Clock.systemUTC()).execute(plan);
        if (r.succeeded()) return ExitCodes.OK;
        boolean pullFailed = false;
        boolean buildFailed = false;
        for (Map.Entry<String, String> f : r.failures().entrySet()) {
            err.println("jcompose: " + f.getKey() + ": " + f.getValue());
            pullFailed |= plan.actions().get(f.getKey()) instanceof Action.PullImage;
            buildFailed |= plan.actions().get(f.getKey()) instanceof Action.BuildImage;
        }
        return buildFailed ? ExitCodes.BUILD : pullFailed ? ExitCodes.PULL : ExitCodes.FAILURE;
    }

    /** The project's containers (service ones, and one-off with {@code all}), sorted by name. */
    List<ContainerSummary> containers(String project, List<String> services, boolean all) {
        List<ContainerSummary> out = new ArrayList<>();
        for (ContainerSummary c : runtime.containers().list(List.of(Labels.projectFilter(project)), all)) {
            if (services.isEmpty() || services.contains(c.labels().getOrDefault(Labels.SERVICE, ""))) out.add(c);
        }
        return out;
    }

    void ps(String project, List<String> services, boolean all, boolean quiet, boolean servicesOnly, String format) {
        ps(project, services, all, quiet, servicesOnly, format, c -> true);
    }

    /** {@code filter}: {@code ps --status/--filter} (applied to the listed containers). */
    void ps(String project, List<String> services, boolean all, boolean quiet, boolean servicesOnly, String format,
            java.util.function.Predicate<ContainerSummary> filter) {
        List<ContainerSummary> cs = containers(project, services, all).stream().filter(filter).toList();
        if (servicesOnly) {
            cs.stream().map(c -> c.labels().getOrDefault(Labels.SERVICE, "")).distinct().sorted().forEach(out::println);
            return;
        }
        if (quiet) {
            cs.forEach(c -> out.println(c.id()));
            return;
        }
        if (format.equals("json")) {
            for (ContainerSummary c : cs) {
                out.println("{\"ID\":" + ProgressPrinter.q(c.id()) + ",\"Name\":" + ProgressPrinter.q(c.name())
                        + ",\"Image\":" + ProgressPrinter.q(c.image()) + ",\"Project\":" + ProgressPrinter.q(project)
                        + ",\"Service\":" + ProgressPrinter.q(c.labels().getOrDefault(Labels.SERVICE, ""))
                        + ",\"State\":" + ProgressPrinter.q(c.state()) + ",\"Status\":" + ProgressPrinter.q(c.status()) + "}");
            }
            return;
        }
        if (!format.equals("table")) throw new CliException(ExitCodes.COMMAND_SYNTAX, "ps: unknown --format \"" + format + "\" (use table or json)");
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"NAME", "IMAGE", "SERVICE", "STATUS"});
        for (ContainerSummary c : cs) rows.add(new String[] {c.name(), c.image(), c.labels().getOrDefault(Labels.SERVICE, ""), c.status()});
        int[] w = new int[4];
        for (String[] r : rows) for (int i = 0; i < 4; i++) w[i] = Math.max(w[i], r[i].length());
        for (String[] r : rows) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < 4; i++) {
                sb.append(r[i]);
                if (i < 3) sb.append(" ".repeat(w[i] - r[i].length() + 3));
            }
            out.println(sb.toString().stripTrailing());
        }
    }

    /**
     * Prints logs, each line prefixed with {@code <container> | }. With {@code follow} one reader thread per container
     * until every container stops or the thread is interrupted (Ctrl-C ends the process).
     */
    void logs(String project, List<String> services, boolean follow, int tail, boolean timestamps) throws InterruptedException {
        logs(project, services, follow, tail, timestamps, null, null);
    }

    /** {@code since}/{@code until}: null for no bound ({@code logs --since/--until}). */
    void logs(String project, List<String> services, boolean follow, int tail, boolean timestamps, java.time.Instant since,
              java.time.Instant until) throws InterruptedException {
        List<ContainerSummary> cs = containers(project, services, true);
        int width = cs.stream().mapToInt(c -> c.name().length()).max().orElse(0);
        LogOptions options = new LogOptions(true, true, follow, tail, since, until, timestamps);
        List<Thread> readers = new ArrayList<>();
        for (ContainerSummary c : cs) {
            String prefix = c.name() + " ".repeat(width - c.name().length()) + "  | ";
            Runnable read = () -> {
                StringBuilder partial = new StringBuilder();
                try (Feed<LogFrame> feed = runtime.containers().logs(c.id(), options)) {
                    while (feed.hasNext()) {
                        partial.append(feed.next().text());
                        int nl;
                        while ((nl = partial.indexOf("\n")) >= 0) {
                            String line = partial.substring(0, nl);
                            partial.delete(0, nl + 1);
                            synchronized (out) {
                                out.println(prefix + line);
                            }
                        }
                    }
                    if (partial.length() > 0) {
                        synchronized (out) {
                            out.println(prefix + partial);
                        }
                    }
                }
            };
            if (!follow) {
                read.run();
            } else {
                Thread t = new Thread(read, "jcompose-logs-" + c.name());
                t.setDaemon(true);
                t.start();
                readers.add(t);
            }
        }
        for (Thread t : readers) t.join();
    }
}
