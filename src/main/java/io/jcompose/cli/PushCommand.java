package io.jcompose.cli;

import io.jcompose.model.Service;
import io.jcompose.reconcile.ContainerSpecs;
import io.jcompose.runtime.EngineException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code jcompose push}: pushes the services' images (each once) to their registries; a failure exits 1 unless ignored. */
@Command(name = "push", description = "Push service images")
final class PushCommand implements Callable<Integer> {
    @ParentCommand
    JcomposeCommand root;

    @Option(names = "--ignore-push-failures", description = "Push what it can and ignores images with push failures")
    boolean ignoreFailures;
    @Option(names = "--include-deps", description = "Also push images of services declared as dependencies")
    boolean includeDeps;
    @Option(names = {"-q", "--quiet"}, description = "Push without printing progress information")
    boolean quiet;
    @Parameters(paramLabel = "SERVICE")
    List<String> services = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        var err = root.context().err();
        return Verbs.withProject(root, services, (p, engine) -> {
            TreeSet<String> done = new TreeSet<>();
            int failed = 0;
            for (String name : new ServiceContainers(engine.runtime, p).order(services, includeDeps)) {
                Service s = p.services().get(name);
                // As docker compose: only services that name their image (a build-only service's <project>-<service>
                // has no registry to go to); a built one also pushes its build.tags.
                if (s.image().isEmpty()) {
                    if (!quiet) err.println(" " + name + " Skipped - no image: to push to (name it registry/repo:tag)");
                    continue;
                }
                List<String> images = new ArrayList<>(List.of(ContainerSpecs.image(p, s)));
                s.build().ifPresent(b -> images.addAll(b.tags()));
                for (String image : images) {
                    if (!done.add(image)) continue;
                    if (!quiet) err.println(" " + name + " Pushing " + image);
                    try {
                        engine.runtime.images().push(image, java.util.Optional.empty(), x -> { });
                        if (!quiet) err.println(" " + name + " Pushed " + image);
                    } catch (EngineException e) {
                        failed++;
                        err.println((ignoreFailures ? "warning: " : "jcompose: ") + name + ": " + e.getMessage());
                    }
                }
            }
            return failed > 0 && !ignoreFailures ? ExitCodes.FAILURE : ExitCodes.OK;
        });
    }
}
