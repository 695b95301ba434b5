package io.jcompose.cli;

import io.jcompose.runtime.ContainerSummary;
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
        return Verbs.withProject(root, services, (p, engine) -> {
            ServiceContainers sc = new ServiceContainers(engine.runtime, p);
            for (String service : sc.order(services, false)) {
                for (ContainerSummary c : sc.of(service, true)) {
                    if (!c.state().equals("paused")) continue;
                    ServiceContainers.status(root.context().err(), c.name(), "Unpausing");
                    engine.runtime.containers().unpause(c.name());
                    ServiceContainers.status(root.context().err(), c.name(), "Unpaused");
                }
            }
            return ExitCodes.OK;
        });
    }
}
