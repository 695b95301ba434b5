package io.jcompose.cli;

import io.jcompose.project.LoadedProject;
import io.jcompose.reconcile.UpOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code jcompose create}: {@code up --no-start} — networks, volumes, images and containers, nothing started. */
@Command(name = "create", description = "Creates containers for a service")
final class CreateCommand implements Callable<Integer> {
    @ParentCommand
    JcomposeCommand root;

    @Option(names = "--force-recreate", description = "Recreate containers even if their configuration and image haven't changed")
    boolean forceRecreate;
    @Option(names = "--no-recreate", description = "If containers already exist, don't recreate them")
    boolean noRecreate;
    @Option(names = "--pull", paramLabel = "POLICY", description = "Pull image before running: always, missing, never")
    String pull;
    @Option(names = "--remove-orphans", description = "Remove containers for services not defined in the Compose file")
    boolean removeOrphans;
    @Option(names = "--scale", paramLabel = "SERVICE=NUM", description = "Scale SERVICE to NUM instances (repeatable)")
    List<String> scale = new ArrayList<>();
    @Option(names = "--dry-run", description = "Print the plan and change nothing")
    boolean dryRun;
    @Option(names = "--progress", paramLabel = "TYPE", description = "Progress output: auto, tty, plain, json, quiet")
    String progress;
    @Parameters(paramLabel = "SERVICE")
    List<String> services = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        TreeMap<String, Integer> scales = new TreeMap<>();
        for (String s : scale) {
            int eq = s.indexOf('=');
            try {
                if (eq < 1) throw new NumberFormatException();
                scales.put(s.substring(0, eq), Integer.parseInt(s.substring(eq + 1)));
            } catch (NumberFormatException e) {
                throw new CliException(ExitCodes.COMMAND_SYNTAX, "create: --scale expects SERVICE=NUM, got \"" + s + "\"");
            }
        }
        if (pull != null && !List.of("always", "missing", "never").contains(pull)) {
            throw new CliException(ExitCodes.COMMAND_SYNTAX, "create: --pull must be always, missing or never, got \"" + pull + "\"");
        }
        LoadedProject loaded = ProjectAccess.load(root, services);
        UpOptions options;
        try {
            options = new UpOptions(services, forceRecreate, noRecreate, false, false, removeOrphans, scales,
                    Optional.ofNullable(pull).map(UpOptions.PullPolicy::of), true, false, Optional.empty(),
                    ProjectAccess.configFiles(loaded), VersionCommand.version());
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.COMMAND_SYNTAX, "create: " + e.getMessage());
        }
        JcomposeCommand.Context c = root.context();
        try (Engine engine = Engine.open(root); ProjectLock lock = dryRun ? null : ProjectLock.acquire(ProjectLock.directory(c.env()),
                loaded.name(), ProjectLock.timeout(c.env()), c.err())) {
            return engine.composer(progress, null).up(loaded.model(), options, dryRun, Optional.empty());
        }
    }
}
