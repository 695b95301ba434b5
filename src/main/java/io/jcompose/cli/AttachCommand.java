package io.jcompose.cli;

import io.jcompose.reconcile.Labels;
import io.jcompose.runtime.Attachment;
import io.jcompose.runtime.ContainerInfo;
import io.jcompose.runtime.ContainerSummary;
import io.jcompose.runtime.Stdio;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code jcompose attach SERVICE}: attaches the terminal to a running service container's stdio until it stops;
 * stdin only if the container keeps it open ({@code stdin_open}) and {@code --no-stdin} is not given.
 */
@Command(name = "attach", description = "Attach local standard input, output, and error streams to a service's running container")
final class AttachCommand implements Callable<Integer> {
    @ParentCommand
    JcomposeCommand root;

    @Option(names = "--index", paramLabel = "N", description = "Index of the container if the service has multiple replicas (default 1)")
    int index = 1;
    @Option(names = "--no-stdin", description = "Do not attach STDIN")
    boolean noStdin;
    @Option(names = "--sig-proxy", arity = "0..1", defaultValue = "true", description = "Proxy all received signals to the process (ignored)")
    boolean sigProxy;
    @Option(names = "--detach-keys", paramLabel = "KEYS", description = "Override the key sequence for detaching (ignored)")
    String detachKeys;
    @Parameters(index = "0", paramLabel = "SERVICE")
    String service;

    @Override
    public Integer call() throws Exception {
        JcomposeCommand.Context c = root.context();
        return Verbs.withProject(root, java.util.List.of(), (p, engine) -> {
            ServiceContainers.checkServices(p, java.util.List.of(service));
            for (ContainerSummary x : new ServiceContainers(engine.runtime, p).of(service, false)) {
                if (!x.labels().getOrDefault(Labels.CONTAINER_NUMBER, "").equals(Integer.toString(index))) continue;
                ContainerInfo info = engine.runtime.containers().inspect(x.name());
                boolean stdin = !noStdin && p.services().get(service).stdinOpen();
                try (Attachment a = engine.runtime.containers().attach(x.name(),
                        new Stdio(stdin ? Optional.of(c.in().get()) : Optional.empty(), c.out(), c.err()), info.tty())) {
                    a.await();
                }
                return engine.runtime.containers().inspect(x.name()).state().exitCode();
            }
            throw new CliException(ExitCodes.FAILURE, "service \"" + service + "\" is not running");
        });
    }
}
