package io.jcompose.cli;

import io.jcompose.reconcile.Labels;
import io.jcompose.runtime.ContainerSummary;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code jcompose rm}: removes the stopped containers of the services (one-off {@code run} containers included).
 * Running ones are left alone unless {@code -s} stops them first. With {@code -f} it prints
 * {@code Going to remove a, b} and proceeds; without, on a terminal it asks {@code Are you sure? [yN]}; without a
 * terminal there is nobody to ask and it proceeds as with {@code -f}. Nothing stopped: {@code No stopped containers}.
 */
@Command(name = "rm", description = "Removes stopped service containers")
final class RmCommand implements Callable<Integer> {
    @ParentCommand
    JcomposeCommand root;

    @Option(names = {"-f", "--force"}, description = "Don't ask to confirm removal")
    boolean force;
    @Option(names = {"-s", "--stop"}, description = "Stop the containers, if required, before removing")
    boolean stop;
    @Option(names = {"-v", "--volumes"}, description = "Remove any anonymous volumes attached to containers")
    boolean volumes;
    @Parameters(paramLabel = "SERVICE")
    List<String> services = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        JcomposeCommand.Context c = root.context();
        return Verbs.withProject(root, services, (p, engine) -> {
            ServiceContainers sc = new ServiceContainers(engine.runtime, p);
            ServiceContainers.checkServices(p, services);
            if (stop) {
                for (String service : sc.reverseOrder(services)) {
                    for (ContainerSummary x : sc.of(service, false)) {
                        ServiceContainers.status(c.err(), x.name(), "Stopping");
                        Hooks.run(engine.runtime, service, x.name(), p.services().get(service).preStop(), c.err());
                        engine.runtime.containers().stop(x.name(), null);
                        ServiceContainers.status(c.err(), x.name(), "Stopped");
                    }
                }
            }
            List<ContainerSummary> stopped = new ArrayList<>();
            for (ContainerSummary x : sc.all(true)) {
                if (!services.isEmpty() && !services.contains(x.labels().getOrDefault(Labels.SERVICE, ""))) continue;
                // Re-read the state: -s just changed it, and the listing above may predate that.
                String state = stop ? engine.runtime.containers().inspect(x.name()).state().status() : x.state();
                if (!state.equals("running") && !state.equals("paused") && !state.equals("restarting")) stopped.add(x);
            }
            if (stopped.isEmpty()) {
                c.err().println("No stopped containers");
                return ExitCodes.OK;
            }
            String message = "Going to remove " + String.join(", ", stopped.stream().map(ContainerSummary::name).toList());
            if (force || !Terminal.interactive(c)) {
                c.out().println(message);
            } else {
                c.out().print(message + "\nAre you sure? [yN] ");
                c.out().flush();
                String answer = new BufferedReader(new InputStreamReader(c.in().get(), StandardCharsets.UTF_8)).readLine();
                if (answer == null || !answer.strip().toLowerCase(java.util.Locale.ROOT).startsWith("y")) return ExitCodes.OK;
            }
            for (ContainerSummary x : stopped) {
                ServiceContainers.status(c.err(), x.name(), "Removing");
                engine.runtime.containers().remove(x.name(), false, volumes);
                ServiceContainers.status(c.err(), x.name(), "Removed");
            }
            return ExitCodes.OK;
        });
    }
}
