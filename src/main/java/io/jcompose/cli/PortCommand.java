package io.jcompose.cli;

import io.jcompose.reconcile.Labels;
import io.jcompose.runtime.ContainerSummary;
import io.jcompose.runtime.PortBinding;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code jcompose port SERVICE PRIVATE_PORT}: the host address a container port is published on, e.g. {@code 0.0.0.0:32768}. */
@Command(name = "port", description = "Print the public port for a port binding")
final class PortCommand implements Callable<Integer> {
    @ParentCommand
    JcomposeCommand root;

    @Option(names = "--protocol", paramLabel = "PROTO", description = "tcp or udp (default tcp)")
    String protocol = "tcp";
    @Option(names = "--index", paramLabel = "N", description = "Index of the container if the service has multiple replicas (default 1)")
    int index = 1;
    @Parameters(index = "0", paramLabel = "SERVICE")
    String service;
    @Parameters(index = "1", paramLabel = "PRIVATE_PORT")
    int port;

    @Override
    public Integer call() throws Exception {
        return Verbs.withProject(root, List.of(), (p, engine) -> {
            ServiceContainers.checkServices(p, List.of(service));
            String proto = protocol.toLowerCase(Locale.ROOT);
            for (ContainerSummary c : new ServiceContainers(engine.runtime, p).of(service, true)) {
                if (!c.labels().getOrDefault(Labels.CONTAINER_NUMBER, "").equals(Integer.toString(index))) continue;
                for (PortBinding b : engine.runtime.containers().inspect(c.name()).ports()) {
                    if (b.containerPort() == port && b.protocol().equals(proto) && b.hostPort() != null && !b.hostPort().isEmpty()) {
                        root.context().out().println((b.hostIp().isEmpty() ? "0.0.0.0" : b.hostIp()) + ":" + b.hostPort());
                        return ExitCodes.OK;
                    }
                }
                throw new CliException(ExitCodes.FAILURE, "no port " + port + "/" + proto + " for container " + c.name());
            }
            throw new CliException(ExitCodes.FAILURE, "service \"" + service + "\" has no container with index " + index);
        });
    }
}
