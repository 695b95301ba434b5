package io.jcompose.cli;

import io.jcompose.runtime.ContainerSummary;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code jcompose start}: starts the existing containers of the services, dependencies first, then runs their
 * {@code post_start} hooks. A service without a container fails the command, as docker compose's does
 * ("run 'jcompose up' or 'create' first").
 */
@Command(name = "start", description = "Start services")
final class StartCommand implements Callable<Integer> {
    @ParentCommand
    JcomposeCommand root;

    @Option(names = "--wait", description = "Wait for services to be running|healthy")
    boolean waitReady;
    @Option(names = "--wait-timeout", paramLabel = "SECONDS", description = "Maximum duration to wait for the project to be running|healthy")
    Long waitTimeout;
    @Parameters(paramLabel = "SERVICE")
    List<String> services = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        return Verbs.withProject(root, services, (p, engine) -> {
            ServiceContainers sc = new ServiceContainers(engine.runtime, p);
            List<String> started = new ArrayList<>();
            for (String service : sc.order(services, false)) {
                List<ContainerSummary> cs = sc.of(service, true);
                if (cs.isEmpty()) {
                    if (!services.isEmpty()) {
                        throw new CliException(ExitCodes.FAILURE, "service \"" + service + "\" has no container to start; run 'jcompose create' or 'jcompose up' first");
                    }
                    continue;
                }
                for (ContainerSummary c : cs) {
                    if (!c.state().equals("running")) {
                        ServiceContainers.status(root.context().err(), c.name(), "Starting");
                        engine.runtime.containers().start(c.name());
                        Hooks.run(engine.runtime, service, c.name(), p.services().get(service).postStart(), root.context().err());
                        ServiceContainers.status(root.context().err(), c.name(), "Started");
                    }
                    started.add(c.name());
                }
            }
            if (waitReady) {
                Readiness.await(engine.runtime, started, Optional.ofNullable(waitTimeout).map(Duration::ofSeconds));
                started.forEach(n -> ServiceContainers.status(root.context().err(), n, "Healthy"));
            }
            return ExitCodes.OK;
        });
    }
}
