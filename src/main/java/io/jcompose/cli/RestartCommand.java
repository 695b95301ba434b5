package io.jcompose.cli;

import io.jcompose.model.Service;
import io.jcompose.runtime.ContainerSummary;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code jcompose restart}: restarts the containers (running or stopped) of the named services and, unless
 * {@code --no-deps}, of the services they depend on — dependencies first, as docker compose does. Config changes
 * are not applied (that is {@code up}'s job).
 */
@Command(name = "restart", description = "Restart service containers")
final class RestartCommand implements Callable<Integer> {
    @ParentCommand
    JcomposeCommand root;

    @Option(names = {"-t", "--timeout"}, paramLabel = "SECONDS", description = "Specify a shutdown timeout in seconds")
    Long timeout;
    @Option(names = "--no-deps", description = "Don't restart dependent services")
    boolean noDeps;
    @Parameters(paramLabel = "SERVICE")
    List<String> services = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        return Verbs.withProject(root, services, (p, engine) -> {
            ServiceContainers sc = new ServiceContainers(engine.runtime, p);
            Duration t = timeout == null ? null : Duration.ofSeconds(timeout);
            for (String service : sc.order(services, !noDeps)) {
                Service s = p.services().get(service);
                for (ContainerSummary c : sc.of(service, true)) {
                    ServiceContainers.status(root.context().err(), c.name(), "Restarting");
                    if (c.state().equals("running")) Hooks.run(engine.runtime, service, c.name(), s.preStop(), root.context().err());
                    engine.runtime.containers().restart(c.name(), t);
                    Hooks.run(engine.runtime, service, c.name(), s.postStart(), root.context().err());
                    ServiceContainers.status(root.context().err(), c.name(), "Started");
                }
            }
            return ExitCodes.OK;
        });
    }
}
