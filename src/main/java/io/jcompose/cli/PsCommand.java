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
    @Option(names = "--format", paramLabel = "FORMAT", description = "table or json")
    String format = "table";
    @Parameters(paramLabel = "SERVICE")
    List<String> services = new ArrayList<>();

    @Override
    public Integer call() {
        String project = ProjectAccess.load(root, services).name();
        try (Engine engine = Engine.open(root)) {
            engine.composer("quiet", 1).ps(project, services, all, quiet, servicesOnly, format);
        }
        return ExitCodes.OK;
    }
}
