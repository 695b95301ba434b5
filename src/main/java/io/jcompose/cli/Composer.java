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
        checkExternalResources(p, options);
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
                        Hooks.run(runtime, st.service(), st.container(), p.services().get(st.service()).postStart(), err);
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

    /** {@code up -y}: removes the volumes that no longer match the file (and their containers) so up creates them again. */
    int recreateDivergedVolumes(Project p, Optional<Duration> timeout, boolean dryRun) throws InterruptedException {
        Observed o = Observed.read(runtime, p.name());
        java.util.SortedMap<String, String> diverged = Reconciler.divergedVolumes(p, o);
        if (diverged.isEmpty()) return ExitCodes.OK;
        return run(Reconciler.removeDivergedVolumes(p, o, diverged.keySet(), timeout), dryRun, Optional.empty());
    }

    /** {@code --all-resources}: creates the project's missing networks and volumes, used or not, before {@link #up}. */
    int upAllResources(Project p, boolean dryRun) throws InterruptedException {
        return run(Reconciler.allResources(p, Observed.read(runtime, p.name())), dryRun, Optional.empty());
    }

    /**
     * External networks and volumes of the services up will touch must exist before anything is created: docker
     * compose checks them up front with these words, so only the services that use a missing one fail.
     */
    private void checkExternalResources(Project p, UpOptions options) {
        java.util.Set<String> selected = options.services().isEmpty() ? p.services().keySet()
                : options.noDeps() ? new java.util.TreeSet<>(options.services())
                : Reconciler.serviceGraph(p).dependencyClosure(options.services().stream().filter(p.services()::containsKey).toList());
        java.util.Set<String> networks = new java.util.TreeSet<>();
        java.util.Set<String> volumes = new java.util.TreeSet<>();
        for (String name : selected) {
            io.jcompose.model.Service s = p.services().get(name);
            if (s == null) continue;
            if (s.networkMode().isEmpty()) {
                for (String key : s.networks().keySet()) {
                    io.jcompose.model.Network n = p.networks().get(key);
                    if (n != null && n.external()) networks.add(n.name());
                }
            }
            for (io.jcompose.model.Mount m : s.volumes()) {
                if (m.type() != io.jcompose.model.Mount.Type.VOLUME || m.source().isEmpty()) continue;
                io.jcompose.model.Volume v = p.volumes().get(m.source().get());
                if (v != null && v.external()) volumes.add(v.name());
            }
        }
        for (String n : networks) {
            try {
                runtime.networks().inspect(n);
            } catch (io.jcompose.runtime.EngineException e) {
                if (!e.isNotFound()) throw e;
                throw new CliException(ExitCodes.FAILURE, "network " + n + " declared as external, but could not be found");
            }
        }
        for (String v : volumes) {
            try {
                runtime.volumes().inspect(v);
            } catch (io.jcompose.runtime.EngineException e) {
                if (!e.isNotFound()) throw e;
                throw new CliException(ExitCodes.FAILURE, "external volume \"" + v + "\" not found");
            }
        }
    }

    int down(Project p, DownOptions options, boolean dryRun) throws InterruptedException {
        Plan plan = Reconciler.down(p, Observed.read(runtime, p.name()), options);
        if (!dryRun) preStop(p, plan);
        return run(plan, dryRun, Optional.empty());
    }

    /**
     * pre_stop hooks of the containers a plan stops. As in docker compose, a hook that exits non-zero fails the verb
     * before anything is stopped ({@code "<service> hook exited with status <code>"}); a container that is already
     * gone or not running (engine not-found/conflict) is no reason to fail.
     */
    void preStop(Project p, Plan plan) {
        for (Action a : plan.ordered()) {
            if (a instanceof Action.StopContainer st && st.service() != null && p.services().containsKey(st.service())) {
                try {
                    Hooks.run(runtime, st.service(), st.container(), p.services().get(st.service()).preStop(), err);
                } catch (io.jcompose.runtime.EngineException e) {
                    if (!e.isNotFound() && !e.isConflict()) throw e;
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
        if (format.contains("{{")) {
            psTemplate(project, cs, format);
            return;
        }
        if (!format.equals("table")) throw new CliException(ExitCodes.COMMAND_SYNTAX, "ps: unknown --format \"" + format + "\" (use table, json or a template)");
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

    /** The fields a ps template may name, with their table headers (docker compose's ps columns). */
    private static final Map<String, String> PS_FIELDS = Map.of("ID", "CONTAINER ID", "Name", "NAME", "Names", "NAME", "Image", "IMAGE",
            "Service", "SERVICE", "Project", "PROJECT", "State", "STATE", "Status", "STATUS", "CreatedAt", "CREATED");

    /**
     * {@code ps --format TEMPLATE} (or the CLI config's psFormat) for the subset of Go templates people write there:
     * {@code {{.Field}}} placeholders and literal text; a leading {@code table } adds a header row and aligns
     * tab-separated columns. Example: {@code table {{.Name}}\t{{.Status}}}.
     */
    private void psTemplate(String project, List<ContainerSummary> cs, String format) {
        boolean table = format.startsWith("table");
        String t = (table ? format.substring("table".length()).strip() : format).replace("\\t", "\t");
        java.util.regex.Pattern field = java.util.regex.Pattern.compile("\\{\\{\\s*\\.(\\w+)\\s*}}");
        java.util.regex.Matcher bad = java.util.regex.Pattern.compile("\\{\\{(.*?)}}").matcher(t);
        while (bad.find()) {
            java.util.regex.Matcher m = field.matcher(bad.group());
            if (!m.matches() || !PS_FIELDS.containsKey(m.group(1))) {
                throw new CliException(ExitCodes.COMMAND_SYNTAX, "ps: unsupported template field " + bad.group() + " (use {{.Name}}, {{.Image}}, "
                        + "{{.Service}}, {{.State}}, {{.Status}}, {{.ID}}, {{.Project}}, {{.CreatedAt}})");
            }
        }
        List<String[]> rows = new ArrayList<>();
        if (table) rows.add(field.matcher(t).replaceAll(m -> java.util.regex.Matcher.quoteReplacement(PS_FIELDS.get(m.group(1)))).split("\t", -1));
        for (ContainerSummary c : cs) {
            Map<String, String> v = Map.of("ID", c.id().length() > 12 ? c.id().substring(0, 12) : c.id(), "Name", c.name(), "Names", c.name(),
                    "Image", c.image(), "Service", c.labels().getOrDefault(Labels.SERVICE, ""), "Project", project, "State", c.state(),
                    "Status", c.status(), "CreatedAt", String.valueOf(c.created()));
            rows.add(field.matcher(t).replaceAll(m -> java.util.regex.Matcher.quoteReplacement(v.get(m.group(1)))).split("\t", -1));
        }
        int cols = rows.stream().mapToInt(r -> r.length).max().orElse(0);
        int[] w = new int[cols];
        for (String[] r : rows) for (int i = 0; i < r.length; i++) w[i] = Math.max(w[i], r[i].length());
        for (String[] r : rows) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                sb.append(r[i]);
                if (table && i < r.length - 1) sb.append(" ".repeat(w[i] - r[i].length() + 3));
                else if (i < r.length - 1) sb.append('\t');
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
        logs(project, services, follow, tail, timestamps, since, until, 0);
    }

    /** {@code index}: {@code logs --index N}, only replica N of each service; 0 for all. */
    void logs(String project, List<String> services, boolean follow, int tail, boolean timestamps, java.time.Instant since,
              java.time.Instant until, int index) throws InterruptedException {
        List<ContainerSummary> cs = containers(project, services, true).stream()
                .filter(c -> index == 0 || String.valueOf(index).equals(c.labels().get(Labels.CONTAINER_NUMBER))).toList();
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
