package io.jcompose.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code jcompose ps}: the project's containers, found by the project label. */
@Command(name = "ps", description = "List containers")
final class PsCommand implements Callable<Integer> {
    @ParentCommand
    JcomposeCommand root;

    @Option(names = {"-a", "--all"}, description = "Show all stopped containers")
    boolean all;
    @Option(names = {"-q", "--quiet"}, description = "Only display IDs")
    boolean quiet;
    @Option(names = "--services", description = "Display services")
    boolean servicesOnly;
    @Option(names = "--format", paramLabel = "FORMAT", description = "table, json, or a Go template (default: psFormat of the Docker CLI config, else table)")
    String format;
    @Option(names = "--status", paramLabel = "STATUS", description = "Filter services by status: paused, restarting, removing, running, dead, created, exited (repeatable)")
    List<String> status = new ArrayList<>();
    @Option(names = "--filter", paramLabel = "KEY=VALUE", description = "Filter services by a property (status=STATUS)")
    List<String> filter = new ArrayList<>();
    @Parameters(paramLabel = "SERVICE")
    List<String> services = new ArrayList<>();

    @Override
    public Integer call() {
        List<String> states = new ArrayList<>(status);
        for (String f : filter) {
            // docker compose's ps knows one filter key.
            if (!f.startsWith("status=")) throw new CliException(ExitCodes.COMMAND_SYNTAX, "ps: unsupported --filter \"" + f + "\" (use status=STATUS)");
            states.add(f.substring("status=".length()));
        }
        List<String> known = List.of("paused", "restarting", "removing", "running", "dead", "created", "exited");
        for (String s : states) {
            if (!known.contains(s)) throw new CliException(ExitCodes.COMMAND_SYNTAX, "ps: invalid status \"" + s + "\" (use " + String.join(", ", known) + ")");
        }
        String project = ProjectAccess.load(root, services).name();
        if (format == null) {
            // As docker compose: the Docker CLI's psFormat applies when no --format is given.
            format = io.jcompose.runtime.docker.DockerCliConfig.text(root.context().env(), java.nio.file.Path.of(System.getProperty("user.home")),
                    "psFormat").orElse("table");
        }
        try (Engine engine = Engine.open(root)) {
            // A status filter shows stopped containers too, as 'docker compose ps --status exited' does.
            engine.composer("quiet", 1).ps(project, services, all || !states.isEmpty(), quiet, servicesOnly, format,
                    c -> states.isEmpty() || states.contains(c.state()));
        }
        return ExitCodes.OK;
    }
}
