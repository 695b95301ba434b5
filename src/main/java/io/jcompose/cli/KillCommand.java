package io.jcompose.cli;

import io.jcompose.runtime.ContainerSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code jcompose kill}: sends a signal (SIGKILL by default) to the running containers of the services. */
@Command(name = "kill", description = "Force stop service containers")
final class KillCommand implements Callable<Integer> {
    @ParentCommand
    JcomposeCommand root;

    @Option(names = {"-s", "--signal"}, paramLabel = "SIGNAL", description = "SIGNAL to send to the container (default SIGKILL)")
    String signal = "SIGKILL";
    @Option(names = "--remove-orphans", description = "Remove containers for services not defined in the Compose file")
    boolean removeOrphans;
    @Parameters(paramLabel = "SERVICE")
    List<String> services = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        return Verbs.withProject(root, services, (p, engine) -> {
            ServiceContainers sc = new ServiceContainers(engine.runtime, p);
            int killed = 0;
            for (String service : sc.reverseOrder(services)) {
                for (ContainerSummary c : sc.of(service, false)) {
                    ServiceContainers.status(root.context().err(), c.name(), "Killing");
                    engine.runtime.containers().kill(c.name(), signal);
                    ServiceContainers.status(root.context().err(), c.name(), "Killed");
                    killed++;
                }
            }
            if (removeOrphans) {
                for (ContainerSummary c : sc.all(false)) {
                    String service = c.labels().getOrDefault(io.jcompose.reconcile.Labels.SERVICE, "");
                    if (!p.services().containsKey(service)) {
                        engine.runtime.containers().remove(c.name(), true, false);
                        ServiceContainers.status(root.context().err(), c.name(), "Removed");
                    }
                }
            }
            if (killed == 0) root.context().err().println("no container to kill");
            return ExitCodes.OK;
        });
    }
}
