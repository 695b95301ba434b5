package io.jcompose.cli;

import io.jcompose.project.LoadedProject;
import io.jcompose.reconcile.UpOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code jcompose create}: {@code up --no-start} — networks, volumes, images and containers, nothing started. */
@Command(name = "create", description = "Creates containers for a service")
final class CreateCommand implements Callable<Integer> {
    @ParentCommand
    JcomposeCommand root;
    @Mixin
    CreateFlags create = new CreateFlags();
    @Parameters(paramLabel = "SERVICE")
    List<String> services = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        if (root.dryRun) create.dryRun = true;
        var scales = create.scales("create");
        var pull = create.pullPolicy("create");
        var build = create.buildPolicy("create");
        LoadedProject loaded = ProjectAccess.load(root, services);
        JcomposeCommand.Context c = root.context();
        UpOptions options;
        try {
            options = new UpOptions(services, create.forceRecreate, create.noRecreate, false, false, create.removeOrphans,
                    scales, pull, true, false, Optional.empty(), ProjectAccess.configFiles(loaded), VersionCommand.version(),
                    build, c.env()).withProjectEnvironment(loaded.environment());
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.COMMAND_SYNTAX, "create: " + e.getMessage());
        }
        try (Engine engine = Engine.open(root); ProjectLock lock = create.dryRun ? null : ProjectLock.acquire(ProjectLock.directory(c.env()),
                loaded.name(), ProjectLock.timeout(c.env()), c.err())) {
            return engine.composer(create.progress, null).up(loaded.model(), options, create.dryRun, Optional.empty());
        }
    }
}
