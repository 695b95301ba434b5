package io.jcompose.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code jcompose unpause}: unpauses the paused containers of the services (others are left alone, as docker compose does). */
@Command(name = "unpause", description = "Unpause services")
final class UnpauseCommand implements Callable<Integer> {
    @ParentCommand
    JcomposeCommand root;

    @Parameters(paramLabel = "SERVICE")
    List<String> services = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        return PauseCommand.toggle(root, services, false);
    }
}
