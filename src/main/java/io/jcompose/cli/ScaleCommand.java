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

/** {@code jcompose scale SERVICE=NUM...}: {@code up -d --scale} for the named services (and their dependencies unless --no-deps). */
@Command(name = "scale", description = "Scale services")
final class ScaleCommand implements Callable<Integer> {
    @ParentCommand
    JcomposeCommand root;

    @Option(names = "--no-deps", description = "Don't start linked services")
    boolean noDeps;
    @Option(names = "--progress", paramLabel = "TYPE", description = "Progress output: auto, tty, plain, json, quiet")
    String progress;
    @Parameters(paramLabel = "SERVICE=NUM", arity = "1..*")
    List<String> scales = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        TreeMap<String, Integer> scale = new TreeMap<>();
        for (String s : scales) {
            int eq = s.indexOf('=');
            try {
                if (eq < 1) throw new NumberFormatException();
                scale.put(s.substring(0, eq), Integer.parseInt(s.substring(eq + 1)));
            } catch (NumberFormatException e) {
                throw new CliException(ExitCodes.COMMAND_SYNTAX, "scale: expects SERVICE=NUM, got \"" + s + "\"");
            }
        }
        List<String> services = new ArrayList<>(scale.keySet());
        LoadedProject loaded = ProjectAccess.load(root, services);
        ServiceContainers.checkServices(loaded.model(), services);
        UpOptions options;
        try {
            options = new UpOptions(services, false, false, noDeps, false, false, scale, Optional.empty(), false, false,
                    Optional.empty(), ProjectAccess.configFiles(loaded), VersionCommand.version()).withProjectEnvironment(loaded.environment());
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.COMMAND_SYNTAX, "scale: " + e.getMessage());
        }
        JcomposeCommand.Context c = root.context();
        try (Engine engine = Engine.open(root); ProjectLock lock = ProjectLock.acquire(ProjectLock.directory(c.env()), loaded.name(),
                ProjectLock.timeout(c.env()), c.err())) {
            return engine.composer(progress, null).up(loaded.model(), options, false, Optional.empty());
        }
    }
}
