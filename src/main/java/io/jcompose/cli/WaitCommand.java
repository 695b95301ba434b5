package io.jcompose.cli;

import io.jcompose.reconcile.DownOptions;
import io.jcompose.runtime.ContainerSummary;
import io.jcompose.runtime.EngineException;
import io.jcompose.runtime.WaitCondition;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.Executors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code jcompose wait SERVICE...}: blocks until the services' containers stop and exits with the exit code of the
 * first one to stop. {@code --down-project}: once the first stops, takes the whole project down (as {@code down}).
 */
@Command(name = "wait", description = "Block until containers of all (or specified) services stop")
final class WaitCommand implements Callable<Integer> {
    @ParentCommand
    JcomposeCommand root;

    @Option(names = "--down-project", description = "Drops project when the first container stops")
    boolean downProject;
    @Parameters(paramLabel = "SERVICE", arity = "1..*")
    List<String> services = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        return Verbs.withProject(root, services, (p, engine) -> {
            ServiceContainers sc = new ServiceContainers(engine.runtime, p);
            List<ContainerSummary> cs = new ArrayList<>();
            for (String s : sc.order(services, false)) cs.addAll(sc.of(s, true));
            if (cs.isEmpty()) throw new CliException(ExitCodes.FAILURE, "no containers for services " + String.join(", ", services));
            ExecutorService pool = Executors.newFixedThreadPool(cs.size(), r -> {
                Thread t = new Thread(r, "jcompose-wait");
                t.setDaemon(true);
                return t;
            });
            try {
                ExecutorCompletionService<Integer> done = new ExecutorCompletionService<>(pool);
                for (ContainerSummary c : cs) done.submit(() -> engine.runtime.containers().wait(c.id(), WaitCondition.NOT_RUNNING));
                int first;
                try {
                    first = done.take().get();
                } catch (java.util.concurrent.ExecutionException e) {
                    if (e.getCause() instanceof EngineException ee) throw ee;
                    throw e;
                }
                if (downProject) {
                    return ExitCodes.OK == engine.composer("quiet", null).down(p, new DownOptions(false, Optional.empty(), false,
                            Optional.empty()), false) ? first : ExitCodes.FAILURE;
                }
                for (int i = 1; i < cs.size(); i++) done.take();
                return first;
            } finally {
                pool.shutdownNow();
            }
        });
    }
}
