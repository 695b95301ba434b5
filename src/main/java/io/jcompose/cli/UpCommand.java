package io.jcompose.cli;

import io.jcompose.project.LoadedProject;
import io.jcompose.reconcile.UpOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code jcompose up}: observe, plan, execute. Without {@code -d} it behaves, for now, like {@code up -d} followed by
 * {@code logs -f} until Ctrl-C (containers keep running afterwards; docker compose would stop them).
 */
@Command(name = "up", description = "Create and start containers")
final class UpCommand implements Callable<Integer> {
    @ParentCommand
    JcomposeCommand root;

    @Option(names = {"-d", "--detach"}, description = "Detached mode: run containers in the background")
    boolean detach;
    @Option(names = "--wait", description = "Wait for services to be running|healthy; implies --detach")
    boolean waitReady;
    @Option(names = "--wait-timeout", paramLabel = "SECONDS", description = "Maximum duration to wait for the project to be running|healthy")
    Long waitTimeout;
    @Option(names = "--dry-run", description = "Print the plan and change nothing")
    boolean dryRun;
    @Option(names = "--pull", paramLabel = "POLICY", description = "Pull images before running: always, missing, never")
    String pull;
    @Option(names = "--no-start", description = "Don't start the services after creating them")
    boolean noStart;
    @Option(names = {"-t", "--timeout"}, paramLabel = "SECONDS", description = "Shutdown timeout when replacing containers")
    Long timeout;
    @Option(names = "--force-recreate", description = "Recreate containers even if their configuration and image haven't changed")
    boolean forceRecreate;
    @Option(names = "--no-recreate", description = "If containers already exist, don't recreate them")
    boolean noRecreate;
    @Option(names = "--no-deps", description = "Don't start linked services")
    boolean noDeps;
    @Option(names = "--always-recreate-deps", description = "Recreate dependent containers")
    boolean alwaysRecreateDeps;
    @Option(names = "--remove-orphans", description = "Remove containers for services not defined in the Compose file")
    boolean removeOrphans;
    @Option(names = "--scale", paramLabel = "SERVICE=NUM", description = "Scale SERVICE to NUM instances (repeatable)")
    List<String> scale = new ArrayList<>();
    @Option(names = "--progress", paramLabel = "TYPE", description = "Progress output: auto, tty, plain, json, quiet")
    String progress;
    @Option(names = "--parallel", paramLabel = "N", description = "Maximum parallel actions (default: COMPOSE_PARALLEL_LIMIT or 8)")
    Integer parallel;
    @Parameters(paramLabel = "SERVICE", description = "Services to start (with their dependencies)")
    List<String> services = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        JcomposeCommand.Context c = root.context();
        UpOptions options = options(List.of(), "");
        LoadedProject loaded = ProjectAccess.load(root, services);
        options = options(ProjectAccess.configFiles(loaded), VersionCommand.version());
        Engine engine = Engine.open(root);
        try (engine; ProjectLock lock = dryRun ? null : ProjectLock.acquire(ProjectLock.directory(c.env()), loaded.name(),
                ProjectLock.timeout(c.env()), c.err())) {
            Composer composer = engine.composer(progress, parallel);
            int code = composer.up(loaded.model(), options, dryRun, Optional.ofNullable(waitTimeout).map(Duration::ofSeconds));
            if (code != 0 || dryRun || detach || waitReady) return code;
            c.err().println("attached mode follows logs until Ctrl-C; containers keep running (use 'jcompose down' to stop them)");
            composer.logs(loaded.name(), services, true, -1, false);
            return code;
        }
    }

    UpOptions options(List<String> configFiles, String version) {
        TreeMap<String, Integer> scales = new TreeMap<>();
        for (String s : scale) {
            int eq = s.indexOf('=');
            try {
                if (eq < 1) throw new NumberFormatException();
                scales.put(s.substring(0, eq), Integer.parseInt(s.substring(eq + 1)));
            } catch (NumberFormatException e) {
                throw new CliException(ExitCodes.COMMAND_SYNTAX, "up: --scale expects SERVICE=NUM, got \"" + s + "\"");
            }
        }
        Optional<UpOptions.PullPolicy> pullPolicy = Optional.ofNullable(pull).map(p -> {
            if (!List.of("always", "missing", "never").contains(p)) {
                throw new CliException(ExitCodes.COMMAND_SYNTAX, "up: --pull must be always, missing or never, got \"" + p + "\"");
            }
            return UpOptions.PullPolicy.of(p);
        });
        try {
            return new UpOptions(services, forceRecreate, noRecreate, noDeps, alwaysRecreateDeps, removeOrphans, scales,
                    pullPolicy, noStart, waitReady, Optional.ofNullable(timeout).map(Duration::ofSeconds), configFiles, version);
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.COMMAND_SYNTAX, "up: " + e.getMessage());
        }
    }
}
