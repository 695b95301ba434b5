package io.jcompose.cli;

import io.jcompose.model.Service;
import io.jcompose.reconcile.ContainerSpecs;
import io.jcompose.runtime.EngineException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code jcompose pull}: pulls the services' images (each image once). Services that only build are skipped.
 * {@code --policy missing} skips images already present; a failure exits 18 unless {@code --ignore-pull-failures}.
 */
@Command(name = "pull", description = "Pull service images")
final class PullCommand implements Callable<Integer> {
    @ParentCommand
    JcomposeCommand root;

    @Option(names = "--policy", paramLabel = "POLICY", description = "Apply pull policy (\"missing\"|\"always\")")
    String policy;
    @Option(names = "--ignore-pull-failures", description = "Pull what it can and ignores images with pull failures")
    boolean ignoreFailures;
    @Option(names = {"-q", "--quiet"}, description = "Pull without printing progress information")
    boolean quiet;
    @Option(names = "--include-deps", description = "Also pull services declared as dependencies")
    boolean includeDeps;
    @Option(names = "--ignore-buildable", description = "Ignore images that can be built")
    boolean ignoreBuildable;
    @Parameters(paramLabel = "SERVICE")
    List<String> services = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        if (policy != null && !List.of("missing", "always").contains(policy.toLowerCase(Locale.ROOT))) {
            throw new CliException(ExitCodes.COMMAND_SYNTAX, "pull: --policy must be missing or always, got \"" + policy + "\"");
        }
        boolean missingOnly = policy != null && policy.equalsIgnoreCase("missing");
        var err = root.context().err();
        return Verbs.withProject(root, services, (p, engine) -> {
            ServiceContainers sc = new ServiceContainers(engine.runtime, p);
            TreeSet<String> images = new TreeSet<>();
            int failed = 0;
            for (String name : sc.order(services, includeDeps)) {
                Service s = p.services().get(name);
                if (s.image().isEmpty() || (ignoreBuildable && s.build().isPresent())) {
                    if (!quiet) err.println(" " + name + " Skipped No image to be pulled");
                    continue;
                }
                String image = ContainerSpecs.image(p, s);
                if (!images.add(image)) continue;
                if (missingOnly || s.pullPolicy().map(pp -> pp.equals("never")).orElse(false)) {
                    try {
                        engine.runtime.images().inspect(image);
                        if (!quiet) err.println(" Image " + image + " Skipped Image is already present locally");
                        continue;
                    } catch (EngineException e) {
                        if (!e.isNotFound()) throw e;
                    }
                }
                if (!quiet) err.println(" Image " + image + " Pulling");
                try {
                    engine.runtime.images().pull(image, java.util.Optional.empty(), x -> { });
                    if (!quiet) err.println(" Image " + image + " Pulled");
                } catch (EngineException e) {
                    failed++;
                    err.println((ignoreFailures ? "warning: " : "jcompose: ") + name + ": " + e.getMessage());
                }
            }
            return failed > 0 && !ignoreFailures ? ExitCodes.PULL : ExitCodes.OK;
        });
    }
}
