package io.jcompose.cli;

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
 * {@code jcompose stop}: stops the running containers of the services, dependents first, each after its
 * {@code pre_stop} hooks. The containers stay (use {@code start} or {@code rm}).
 */
@Command(name = "stop", description = "Stop services")
final class StopCommand implements Callable<Integer> {
    @ParentCommand
    JcomposeCommand root;

    @Option(names = {"-t", "--timeout"}, paramLabel = "SECONDS", description = "Specify a shutdown timeout in seconds")
    Long timeout;
    @Parameters(paramLabel = "SERVICE")
    List<String> services = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        return Verbs.withProject(root, services, (p, engine) -> {
            ServiceContainers sc = new ServiceContainers(engine.runtime, p);
            Duration t = timeout == null ? null : Duration.ofSeconds(timeout);
            for (String service : sc.reverseOrder(services)) {
                for (ContainerSummary c : sc.of(service, false)) {
                    ServiceContainers.status(root.context().err(), c.name(), "Stopping");
                    Hooks.run(engine.runtime, service, c.name(), p.services().get(service).preStop(), root.context().err());
                    engine.runtime.containers().stop(c.name(), t);
                    ServiceContainers.status(root.context().err(), c.name(), "Stopped");
                }
            }
            return ExitCodes.OK;
        });
    }
}
