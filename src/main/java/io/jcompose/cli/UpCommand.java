package io.jcompose.cli;

import io.jcompose.project.LoadedProject;
import io.jcompose.reconcile.UpOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code jcompose up}: observe, plan, execute. Without {@code -d}: attached mode ({@link AttachedMode}) — the
 * services' output until they exit, Ctrl-C stops them (twice: kills), {@code --abort-on-container-exit} and friends.
 */
@Command(name = "up", description = "Create and start containers")
final class UpCommand implements Callable<Integer> {
    @ParentCommand
    JcomposeCommand root;
    @Mixin
    CreateFlags create = new CreateFlags();

    @Option(names = {"-d", "--detach"}, description = "Detached mode: run containers in the background")
    boolean detach;
    @Option(names = "--wait", description = "Wait for services to be running|healthy; implies --detach")
    boolean waitReady;
    @Option(names = "--wait-timeout", paramLabel = "SECONDS", description = "Maximum duration to wait for the project to be running|healthy")
    Long waitTimeout;
    @Option(names = "--no-start", description = "Don't start the services after creating them")
    boolean noStart;
    @Option(names = {"-t", "--timeout"}, paramLabel = "SECONDS", description = "Shutdown timeout when replacing containers")
    Long timeout;
    @Option(names = "--no-deps", description = "Don't start linked services")
    boolean noDeps;
    @Option(names = "--always-recreate-deps", description = "Recreate dependent containers")
    boolean alwaysRecreateDeps;
    @Option(names = "--parallel", paramLabel = "N", description = "Maximum parallel actions (default: COMPOSE_PARALLEL_LIMIT or 8)")
    Integer parallel;
    @Parameters(paramLabel = "SERVICE", description = "Services to start (with their dependencies)")
    List<String> services = new ArrayList<>();

    @Option(names = "--no-log-prefix", description = "Don't print prefix in logs")
    boolean noLogPrefix;
    @Option(names = "--no-color", description = "Produce monochrome output")
    boolean noColor;
    @Option(names = "--timestamps", description = "Show timestamps")
    boolean timestamps;
    @Option(names = "--attach", paramLabel = "SERVICE", description = "Restrict attaching to the specified services (repeatable)")
    List<String> attach = new ArrayList<>();
    @Option(names = "--no-attach", paramLabel = "SERVICE", description = "Do not attach (stream logs) to the specified services (repeatable)")
    List<String> noAttach = new ArrayList<>();
    @Option(names = "--attach-dependencies", description = "Automatically attach to log output of dependent services")
    boolean attachDependencies;
    @Option(names = "--abort-on-container-exit", description = "Stops all containers if any container was stopped; incompatible with -d")
    boolean abortOnExit;
    @Option(names = "--abort-on-container-failure", description = "Stops all containers if any container exited with failure; incompatible with -d")
    boolean abortOnFailure;
    @Option(names = "--exit-code-from", paramLabel = "SERVICE", description = "Return the exit code of the selected service container; implies --abort-on-container-exit")
    String exitCodeFrom;
    // Accepted for docker compose's scripts: jcompose has no interactive navigation menu, so on and off look the same.
    @Option(names = "--menu", arity = "0..1", paramLabel = "BOOL", description = "Accepted for compatibility: jcompose has no navigation menu")
    Boolean menu;
    @Option(names = {"-y", "--yes"}, description = "Assume \"yes\" as answer to all prompts and run non-interactively")
    boolean yes;

    private java.time.Instant began;

    @Override
    public Integer call() throws Exception {
        began = java.time.Instant.now();
        if (root.dryRun) create.dryRun = true;
        JcomposeCommand.Context c = root.context();
        boolean cascade = abortOnExit || abortOnFailure || exitCodeFrom != null;
        if (cascade && (detach || waitReady)) {
            throw new CliException(ExitCodes.COMMAND_SYNTAX, "up: --abort-on-container-exit, --abort-on-container-failure and --exit-code-from are incompatible with --detach and --wait");
        }
        if (abortOnExit && abortOnFailure) {
            throw new CliException(ExitCodes.COMMAND_SYNTAX, "up: --abort-on-container-exit and --abort-on-container-failure are incompatible");
        }
        UpOptions options = options(List.of(), "");
        LoadedProject loaded = ProjectAccess.load(root, services);
        options = options(ProjectAccess.configFiles(loaded), VersionCommand.version()).withProjectEnvironment(loaded.environment());
        if (exitCodeFrom != null) ServiceContainers.checkServices(loaded.model(), List.of(exitCodeFrom));
        Engine engine = Engine.open(root);
        try (engine) {
            Composer composer = engine.composer(create.progress, parallel);
            int code;
            // The lock covers the change only: an attached 'up' must not block 'down' from another terminal.
            try (ProjectLock lock = create.dryRun ? null : ProjectLock.acquire(ProjectLock.directory(c.env()), loaded.name(),
                    ProjectLock.timeout(c.env()), c.err())) {
                code = yes ? composer.recreateDivergedVolumes(loaded.model(), options.timeout(), create.dryRun) : ExitCodes.OK;
                if (code == ExitCodes.OK && root.allResources) code = composer.upAllResources(loaded.model(), create.dryRun);
                if (code == ExitCodes.OK) code = composer.up(loaded.model(), options, create.dryRun, Optional.ofNullable(waitTimeout).map(Duration::ofSeconds));
            }
            if (code != 0 || create.dryRun || detach || waitReady) return code;
            return attached(engine, loaded.model(), options);
        }
    }

    /** Attached mode (see {@link AttachedMode}): which containers to follow, how to print, when to stop. */
    private int attached(Engine engine, io.jcompose.model.Project p, UpOptions options) throws InterruptedException {
        JcomposeCommand.Context c = root.context();
        io.jcompose.graph.Graph g = io.jcompose.reconcile.Reconciler.serviceGraph(p);
        java.util.SortedSet<String> selected = services.isEmpty() ? new java.util.TreeSet<>(p.services().keySet())
                : noDeps ? new java.util.TreeSet<>(services) : g.dependencyClosure(services);
        java.util.Set<String> attachTo = new java.util.TreeSet<>();
        if (!attach.isEmpty()) attachTo.addAll(attach);
        else if (services.isEmpty() || attachDependencies) selected.stream().filter(s -> p.services().get(s).attach()).forEach(attachTo::add);
        else attachTo.addAll(services);
        noAttach.forEach(attachTo::remove);
        if (exitCodeFrom != null) attachTo.add(exitCodeFrom);
        ServiceContainers sc = new ServiceContainers(engine.runtime, p);
        List<io.jcompose.runtime.ContainerSummary> containers = new ArrayList<>();
        for (String s : sc.order(attachTo, false)) containers.addAll(sc.of(s, true));
        boolean color = !noColor && Terminal.colour(c);
        AttachedMode.Cascade how = abortOnFailure ? AttachedMode.Cascade.ON_FAILURE
                : abortOnExit || exitCodeFrom != null ? AttachedMode.Cascade.ON_EXIT : AttachedMode.Cascade.NONE;
        AttachedMode mode = new AttachedMode(engine.runtime, p, c.out(), c.err(), new AttachedMode.Options(!noLogPrefix, color,
                timestamps, how, Optional.ofNullable(exitCodeFrom), options.timeout(), began));
        if (c.in().get() == System.in) mode.installSignalHandler();
        return mode.run(containers, new ArrayList<>(selected));
    }

    UpOptions options(List<String> configFiles, String version) {
        try {
            return new UpOptions(services, create.forceRecreate, create.noRecreate, noDeps, alwaysRecreateDeps,
                    create.removeOrphans, create.scales("up"), create.pullPolicy("up"), noStart, waitReady,
                    Optional.ofNullable(timeout).map(Duration::ofSeconds), configFiles, version, create.buildPolicy("up"),
                    root.context().env());
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.COMMAND_SYNTAX, "up: " + e.getMessage());
        }
    }
}
