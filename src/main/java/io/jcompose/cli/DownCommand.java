package io.jcompose.cli;

import io.jcompose.model.Project;
import io.jcompose.project.ComposeFileNotFoundException;
import io.jcompose.reconcile.DownOptions;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code jcompose down}: stop and remove the project's containers and networks (volumes with -v, images with --rmi). */
@Command(name = "down", description = "Stop and remove containers, networks")
final class DownCommand implements Callable<Integer> {
    @ParentCommand
    JcomposeCommand root;

    @Option(names = {"-v", "--volumes"}, description = "Remove named volumes declared in the volumes section and anonymous volumes of containers")
    boolean volumes;
    @Option(names = "--rmi", paramLabel = "TYPE", description = "Remove images used by services: local (no image: key) or all")
    String rmi;
    @Option(names = "--remove-orphans", description = "Remove containers for services not defined in the Compose file")
    boolean removeOrphans;
    @Option(names = {"-t", "--timeout"}, paramLabel = "SECONDS", description = "Shutdown timeout in seconds")
    Long timeout;
    @Option(names = "--dry-run", description = "Print the plan and change nothing")
    boolean dryRun;
    @Option(names = "--progress", paramLabel = "TYPE", description = "Progress output: auto, tty, plain, json, quiet")
    String progress;
    @Option(names = "--parallel", paramLabel = "N", description = "Maximum parallel actions")
    Integer parallel;
    @picocli.CommandLine.Parameters(paramLabel = "SERVICE", description = "Only these services (and the services that depend on them)")
    List<String> services = new java.util.ArrayList<>();

    @Override
    public Integer call() throws Exception {
        Optional<DownOptions.Rmi> r = Optional.ofNullable(rmi).map(s -> switch (s.toLowerCase(Locale.ROOT)) {
            case "local" -> DownOptions.Rmi.LOCAL;
            case "all" -> DownOptions.Rmi.ALL;
            default -> throw new CliException(ExitCodes.COMMAND_SYNTAX, "down: --rmi must be local or all, got \"" + s + "\"");
        });
        if (root.dryRun) dryRun = true;
        DownOptions options = new DownOptions(volumes, r, removeOrphans, Optional.ofNullable(timeout).map(Duration::ofSeconds), services);
        Project project;
        try {
            project = ProjectAccess.load(root, List.of()).model();
        } catch (ComposeFileNotFoundException e) {
            // As docker compose: 'down -p NAME' works without a file, by the project label alone.
            if (root.projectName == null) throw e;
            project = Project.empty(root.projectName, root.context().cwd().toAbsolutePath());
            options = new DownOptions(volumes, r, true, options.timeout(), List.of());
        }
        JcomposeCommand.Context c = root.context();
        try (Engine engine = Engine.open(root); ProjectLock lock = dryRun ? null
                : ProjectLock.acquire(ProjectLock.directory(c.env()), project.name(), ProjectLock.timeout(c.env()), c.err())) {
            try {
                return engine.composer(progress, parallel).down(project, options, dryRun);
            } catch (IllegalArgumentException e) {
                throw new CliException(ExitCodes.FAILURE, e.getMessage());
            }
        }
    }
}
