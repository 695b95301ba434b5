package io.jcompose.cli;

import io.jcompose.runtime.ContainerSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code jcompose pause}: pauses the running containers of the services (stopped ones are left alone, as docker
 * compose does; an already paused one is an error, as in docker compose).
 */
@Command(name = "pause", description = "Pause services")
final class PauseCommand implements Callable<Integer> {
    @ParentCommand
    JcomposeCommand root;

    @Parameters(paramLabel = "SERVICE")
    List<String> services = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        return toggle(root, services, true);
    }

    /** Pauses the running containers ({@code pause}) or unpauses the paused ones of {@code services}, in order. */
    static int toggle(JcomposeCommand root, List<String> services, boolean pause) throws Exception {
        return Verbs.withProject(root, services, (p, engine) -> {
            ServiceContainers sc = new ServiceContainers(engine.runtime, p);
            for (String service : sc.order(services, false)) {
                for (ContainerSummary c : sc.of(service, true)) {
                    // Like docker compose, pause asks the engine for every running or paused container, so pausing a
                    // paused one fails with the engine's "already paused".
                    if (pause ? !(c.state().equals("running") || c.state().equals("paused")) : !c.state().equals("paused")) continue;
                    ServiceContainers.status(root.context().err(), c.name(), pause ? "Pausing" : "Unpausing");
                    if (pause) engine.runtime.containers().pause(c.name());
                    else engine.runtime.containers().unpause(c.name());
                    ServiceContainers.status(root.context().err(), c.name(), pause ? "Paused" : "Unpaused");
                }
            }
            return ExitCodes.OK;
        });
    }
}
