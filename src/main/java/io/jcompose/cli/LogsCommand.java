package io.jcompose.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code jcompose logs}: output of the project's containers, each line prefixed with the container name. */
@Command(name = "logs", description = "View output from containers")
final class LogsCommand implements Callable<Integer> {
    @ParentCommand
    JcomposeCommand root;

    @Option(names = {"-f", "--follow"}, description = "Follow log output")
    boolean follow;
    @Option(names = {"-n", "--tail"}, paramLabel = "N", description = "Number of lines to show from the end of the logs (all)")
    String tail = "all";
    @Option(names = {"-t", "--timestamps"}, description = "Show timestamps")
    boolean timestamps;
    @Option(names = "--since", paramLabel = "TIME", description = "Show logs since timestamp (e.g. 2013-01-02T13:23:37Z) or relative (e.g. 42m for 42 minutes)")
    String since;
    @Option(names = "--until", paramLabel = "TIME", description = "Show logs before a timestamp (e.g. 2013-01-02T13:23:37Z) or relative (e.g. 42m for 42 minutes)")
    String until;
    @Option(names = "--index", paramLabel = "N", description = "Index of the container if the service has multiple replicas")
    int index;
    @Parameters(paramLabel = "SERVICE")
    List<String> services = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        int lines;
        try {
            lines = tail.equals("all") ? -1 : Integer.parseInt(tail);
        } catch (NumberFormatException e) {
            throw new CliException(ExitCodes.COMMAND_SYNTAX, "logs: --tail expects a number or 'all', got \"" + tail + "\"");
        }
        if (index < 0) throw new CliException(ExitCodes.COMMAND_SYNTAX, "logs: --index must be >= 1, got " + index);
        String project = ProjectAccess.load(root, services).name();
        try (Engine engine = Engine.open(root)) {
            engine.composer("quiet", 1).logs(project, services, follow, lines, timestamps, Times.parse(since, "--since"),
                    Times.parse(until, "--until"), index);
        }
        return ExitCodes.OK;
    }
}
