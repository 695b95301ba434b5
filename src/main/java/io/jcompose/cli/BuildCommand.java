package io.jcompose.cli;

import io.jcompose.project.LoadedProject;
import io.jcompose.reconcile.Action;
import io.jcompose.reconcile.Plan;
import io.jcompose.reconcile.PlanExecutor;
import io.jcompose.reconcile.Reconciler;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code jcompose build}: builds the selected services' images ({@code build:}) with the engine's classic builder,
 * in parallel; each image is named {@code image:} or {@code <project>-<service>} and gets {@code build.tags}.
 * Output: {@code  api Building}, the engine's lines as {@code  api | Step 1/3 : FROM busybox}, {@code  api Built};
 * a failed build exits 17 with the service and the failing step's message.
 */
@Command(name = "build", description = "Build or rebuild services")
final class BuildCommand implements Callable<Integer> {
    @ParentCommand
    JcomposeCommand root;

    @Option(names = "--no-cache", description = "Do not use cache when building the image")
    boolean noCache;
    @Option(names = "--pull", description = "Always attempt to pull a newer version of the base images")
    boolean pull;
    @Option(names = "--build-arg", paramLabel = "KEY[=VALUE]", description = "Set build-time variables (repeatable); KEY alone takes it from the environment")
    List<String> buildArgs = new ArrayList<>();
    @Option(names = {"-q", "--quiet"}, description = "Don't print anything to STDOUT")
    boolean quiet;
    @Option(names = "--dry-run", description = "Print the build plan and build nothing")
    boolean dryRun;
    @Option(names = "--with-dependencies", description = "Also build dependencies (transitively)")
    boolean withDependencies;
    @Option(names = "--parallel", paramLabel = "N", description = "Maximum parallel builds (default: COMPOSE_PARALLEL_LIMIT or 8)")
    Integer parallel;
    @Parameters(paramLabel = "SERVICE", description = "Services to build (default: all that have a build section)")
    List<String> services = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        JcomposeCommand.Context c = root.context();
        TreeMap<String, String> args = new TreeMap<>();
        for (String a : buildArgs) {
            int eq = a.indexOf('=');
            if (eq == 0) throw new CliException(ExitCodes.COMMAND_SYNTAX, "build: --build-arg expects KEY=VALUE or KEY, got \"" + a + "\"");
            if (eq > 0) {
                args.put(a.substring(0, eq), a.substring(eq + 1));
            } else if (c.env().apply(a) != null) {
                args.put(a, c.env().apply(a)); // as the Docker CLI: a bare KEY that is unset is dropped
            }
        }
        LoadedProject loaded = ProjectAccess.load(root, services);
        Plan plan;
        try {
            plan = Reconciler.build(loaded.model(), services, withDependencies, noCache, pull, args, c.env());
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.COMMAND_SYNTAX, "build: " + e.getMessage());
        }
        if (dryRun) {
            c.out().print(plan.text());
            return ExitCodes.OK;
        }
        try (Engine engine = Engine.open(root)) {
            Composer composer = new Composer(engine.runtime, c.out(), c.err(), quiet ? (a, s, d) -> { } : new Lines(c.err()),
                    Composer.parallelism(parallel, c.env()));
            return composer.build(plan, false);
        }
    }

    /** Build output as docker compose prints it for the classic builder. */
    static final class Lines implements PlanExecutor.Listener {
        private final PrintStream err;

        Lines(PrintStream err) {
            this.err = err;
        }

        @Override
        public void event(Action action, PlanExecutor.Status status, String detail) {
            if (!(action instanceof Action.BuildImage b)) return;
            String line = switch (status) {
                case STARTED -> " " + b.service() + " Building";
                case PROGRESS -> " " + b.service() + " | " + detail;
                case DONE -> " " + b.service() + " Built" + (detail.isEmpty() ? "" : " (" + detail + ")");
                default -> null;
            };
            if (line == null) return;
            synchronized (err) {
                err.println(line);
            }
        }
    }
}
