package io.jcompose.cli;

import io.jcompose.model.Dependency;
import io.jcompose.model.Project;
import io.jcompose.model.Service;
import io.jcompose.model.Volume;
import io.jcompose.project.LoadedProject;
import io.jcompose.reconcile.Action;
import io.jcompose.reconcile.ContainerSpecs;
import io.jcompose.reconcile.Labels;
import io.jcompose.reconcile.Observed;
import io.jcompose.reconcile.Plan;
import io.jcompose.reconcile.PlanExecutor;
import io.jcompose.reconcile.Reconciler;
import io.jcompose.reconcile.UpOptions;
import io.jcompose.runtime.Attachment;
import io.jcompose.runtime.ContainerRuntime;
import io.jcompose.runtime.ContainerSpec;
import io.jcompose.runtime.ContainerSummary;
import io.jcompose.runtime.EngineException;
import io.jcompose.runtime.MountSpec;
import io.jcompose.runtime.NetworkAttachment;
import io.jcompose.runtime.PortBinding;
import io.jcompose.runtime.RestartPolicy;
import io.jcompose.runtime.Stdio;
import io.jcompose.runtime.WaitCondition;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code jcompose run SERVICE [COMMAND [ARG...]]}: a one-off container of a service, as docker compose makes it:
 * named {@code <project>-<service>-run-<12 hex>} (or {@code --name}), labelled {@code com.docker.compose.oneoff=True}
 * (so {@code up} never reconciles it), no restart policy, none of the service's ports unless
 * {@code --service-ports}, no service alias on its networks. The service's dependencies are brought up first (and
 * their depends_on conditions awaited) unless {@code --no-deps}. Attached, it prints the container's output and
 * exits with its exit code; {@code -d} prints the container name and returns.
 */
@Command(name = "run", description = "Run a one-off command on a service", modelTransformer = StopAtPositional.class)
final class RunCommand implements Callable<Integer> {
    @ParentCommand
    JcomposeCommand root;

    @Option(names = {"-d", "--detach"}, description = "Run container in background and print container name")
    boolean detach;
    @Option(names = "--rm", description = "Automatically remove the container when it exits")
    boolean rm;
    @Option(names = {"-e", "--env"}, paramLabel = "KEY=VAL", description = "Set environment variables (repeatable)")
    List<String> env = new ArrayList<>();
    @Option(names = {"-l", "--label"}, paramLabel = "KEY=VAL", description = "Add or override a label (repeatable)")
    List<String> labels = new ArrayList<>();
    @Option(names = {"-p", "--publish"}, paramLabel = "[IP:][HOST:]CONTAINER[/PROTO]", description = "Publish a container's port(s) to the host (repeatable)")
    List<String> publish = new ArrayList<>();
    @Option(names = {"-v", "--volume"}, paramLabel = "SRC:DST[:ro]", description = "Bind mount a volume (repeatable)")
    List<String> volumes = new ArrayList<>();
    @Option(names = "--entrypoint", paramLabel = "CMD", description = "Override the entrypoint of the image")
    String entrypoint;
    @Option(names = "--no-deps", description = "Don't start linked services")
    boolean noDeps;
    @Option(names = {"-T", "--no-TTY"}, description = "Disable pseudo-TTY allocation (default: a TTY when stdin is a terminal)")
    boolean noTty;
    @Option(names = {"-t", "--tty"}, hidden = true, description = "Allocate a pseudo-TTY")
    boolean tty;
    @Option(names = {"-i", "--interactive"}, hidden = true, defaultValue = "true", description = "Keep STDIN open even if not attached")
    boolean interactive;
    @Option(names = "--name", paramLabel = "NAME", description = "Assign a name to the container")
    String name;
    @Option(names = {"-P", "--service-ports"}, description = "Run command with all service's ports enabled and mapped to the host")
    boolean servicePorts;
    @Option(names = {"-w", "--workdir"}, paramLabel = "DIR", description = "Working directory inside the container")
    String workdir;
    @Option(names = {"-u", "--user"}, paramLabel = "USER", description = "Run as specified username or uid")
    String user;
    @Option(names = "--pull", paramLabel = "POLICY", description = "Pull image before running: always, missing, never")
    String pull;
    @Option(names = "--remove-orphans", description = "Remove containers for services not defined in the Compose file")
    boolean removeOrphans;
    @Option(names = "--cap-add", paramLabel = "CAP", description = "Add Linux capabilities")
    List<String> capAdd = new ArrayList<>();
    @Option(names = "--cap-drop", paramLabel = "CAP", description = "Drop Linux capabilities")
    List<String> capDrop = new ArrayList<>();
    @Option(names = "--build", description = "Build the service's and its dependencies' images before starting (build: sections)")
    boolean build;
    @Option(names = {"-q", "--quiet-pull"}, description = "Pull without printing progress information")
    boolean quietPull;
    @Parameters(index = "0", paramLabel = "SERVICE")
    String service;
    @Parameters(index = "1..*", paramLabel = "COMMAND")
    List<String> command = new ArrayList<>();

    /** Where a bare {@code -e KEY} looks: set by {@link #call} from the context and the loaded project. */
    private java.util.function.Function<String, String> processEnv = k -> null;
    private Map<String, String> envFileVariables = Map.of();

    @Override
    public Integer call() throws Exception {
        if (detach && rm) throw new CliException(ExitCodes.COMMAND_SYNTAX, "run: --rm and -d cannot be combined");
        JcomposeCommand.Context c = root.context();
        LoadedProject loaded = ProjectAccess.load(root, List.of(service));
        processEnv = c.env();
        envFileVariables = loaded.environment();
        Project p = loaded.model();
        ServiceContainers.checkServices(p, List.of(service));
        Service s = p.services().get(service);
        try (Engine engine = Engine.open(root)) {
            ContainerRuntime rt = engine.runtime;
            PlanExecutor.Listener progress = quietPull ? (a, st, d) -> { } : new ProgressPrinter(c.err(), ProgressPrinter.mode(null, c.env()));
            // --build: every image on the way is built, each once — the dependencies' by their up, the service's
            // by the preparation plan below (which never touches the dependencies).
            UpOptions.BuildPolicy buildPolicy = build ? UpOptions.BuildPolicy.ALWAYS : UpOptions.BuildPolicy.DEFAULT;
            UpOptions base = new UpOptions(List.of(service), false, true, true, false, removeOrphans, new TreeMap<>(),
                    Optional.ofNullable(pull).map(UpOptions.PullPolicy::of), true, false, Optional.empty(),
                    ProjectAccess.configFiles(loaded), VersionCommand.version(), buildPolicy, c.env()).withProjectEnvironment(loaded.environment());
            List<String> deps = s.dependsOn().keySet().stream().filter(p.services()::containsKey).toList();
            if (!noDeps && !deps.isEmpty()) {
                UpOptions up = new UpOptions(deps, false, false, false, false, false, new TreeMap<>(), base.pull(), false,
                        false, Optional.empty(), base.configFiles(), base.version(), buildPolicy, c.env()).with(b -> { b.files = base.files(); return b; });
                int code = engine.composer(quietPull ? "quiet" : null, null).up(p, up, false, Optional.empty());
                if (code != 0) return code;
                awaitDependencies(rt, p, s);
            }
            // The service's own networks, volumes and image: the up plan for it, without its containers.
            Plan full = Reconciler.up(p, Observed.read(rt, p.name()), base);
            Map<String, Action> keep = new LinkedHashMap<>();
            full.actions().forEach((k, a) -> {
                if (a instanceof Action.CreateNetwork || a instanceof Action.CreateVolume || a instanceof Action.PullImage
                        || a instanceof Action.BuildImage) keep.put(k, a);
            });
            Plan prep = new Plan(full.graph().subgraph(keep.keySet()), keep, List.of());
            PlanExecutor.Result r = new PlanExecutor(rt, 4, progress, Optional.empty(), Duration.ofSeconds(1), Clock.systemUTC()).execute(prep);
            if (!r.succeeded()) {
                r.failures().forEach((k, v) -> c.err().println("jcompose: " + k + ": " + v));
                if (r.failures().keySet().stream().anyMatch(k -> keep.get(k) instanceof Action.BuildImage)) return ExitCodes.BUILD;
                return r.failures().keySet().stream().anyMatch(k -> keep.get(k) instanceof Action.PullImage) ? ExitCodes.PULL : ExitCodes.FAILURE;
            }

            boolean terminal = Terminal.interactive(c);
            boolean useTty = !noTty && (tty || terminal || s.tty());
            ContainerSpec spec = spec(p, s, ContainerSpecs.spec(p, s, 1, new ContainerSpecs.SpecContext(base.configFiles(),
                    base.version(), Optional.empty(), base.files())), useTty && !detach, interactive && !detach);
            String id = rt.containers().create(spec);
            if (detach) {
                rt.containers().start(id);
                Hooks.run(rt, s.name(), id, s.postStart(), c.err());
                c.out().println(spec.name());
                return ExitCodes.OK;
            }
            try {
                Stdio io = new Stdio(interactive ? Optional.of(c.in().get()) : Optional.empty(), c.out(), c.err(),
                        spec.tty() && terminal ? Terminal.size() : Optional.empty());
                int code;
                try (Attachment a = rt.containers().attach(id, io, spec.tty());
                     AutoCloseable raw = spec.tty() && terminal ? Terminal.raw() : () -> { }) {
                    rt.containers().start(id);
                    Hooks.run(rt, s.name(), id, s.postStart(), c.err());
                    a.await();
                    code = rt.containers().wait(id, WaitCondition.NOT_RUNNING);
                }
                return code;
            } finally {
                if (rm) {
                    try {
                        rt.containers().remove(id, true, true);
                    } catch (EngineException e) {
                        if (!e.isNotFound()) c.err().println("jcompose: " + e.getMessage());
                    }
                }
            }
        } catch (EngineException e) {
            throw new CliException(ExitCodes.FAILURE, "jcompose: " + e.getMessage(), e);
        }
    }

    /** The one-off container's spec: the service's, changed as {@code run}'s flags and docker compose's rules say. */
    ContainerSpec spec(Project p, Service s, ContainerSpec serviceSpec, boolean tty, boolean stdin) {
        ContainerSpec.Builder b = serviceSpec.toBuilder();
        String slug = HexFormat.of().formatHex(randomBytes());
        b.name(name != null ? name : p.name() + "-" + s.name() + "-run-" + slug.substring(0, 12));
        b.label(Labels.ONEOFF, "True").label("com.docker.compose.slug", slug);
        for (String l : labels) {
            int eq = l.indexOf('=');
            b.label(eq < 0 ? l : l.substring(0, eq), eq < 0 ? "" : l.substring(eq + 1));
        }
        b.restartPolicy(RestartPolicy.NO);
        if (!command.isEmpty()) b.command(command);
        if (entrypoint != null) b.entrypoint(entrypoint.isBlank() ? List.of() : List.of(entrypoint.strip().split("\\s+")));
        // A bare -e KEY: jcompose's environment, then the env files (.env, --env-file, COMPOSE_ENV_FILES).
        b.env(ExecCommand.envMap(env, k -> {
            String v = processEnv.apply(k);
            return v != null ? v : envFileVariables.get(k);
        }));
        if (workdir != null) b.workingDir(workdir);
        if (user != null) b.user(user);
        capAdd.forEach(b::capAdd);
        capDrop.forEach(b::capDrop);
        if (!servicePorts) b.clearPorts();
        for (String pp : publish) b.port(port(pp));
        for (String v : volumes) b.mount(mount(p, v));
        // No service alias: the service name must keep resolving to the service's own containers only.
        serviceSpec.networks().forEach((net, a) -> b.network(net, new NetworkAttachment(List.of(), a.ipv4Address(),
                a.ipv6Address(), a.links(), a.macAddress())));
        // Like 'docker run -i': the container's stdin closes when ours ends, so 'echo x | jcompose run -T s cat' ends.
        b.tty(tty).openStdin(stdin).stdinOnce(stdin);
        return b.build();
    }

    private static byte[] randomBytes() {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        return b;
    }

    /** {@code [[IP:]HOST:]CONTAINER[/PROTO]} */
    static PortBinding port(String spec) {
        String proto = "tcp";
        String s = spec;
        int slash = s.lastIndexOf('/');
        if (slash >= 0) {
            proto = s.substring(slash + 1);
            s = s.substring(0, slash);
        }
        String[] parts = s.split(":");
        try {
            return switch (parts.length) {
                case 1 -> PortBinding.published(Integer.parseInt(parts[0]), proto, "", "");
                case 2 -> PortBinding.published(Integer.parseInt(parts[1]), proto, "", parts[0]);
                case 3 -> PortBinding.published(Integer.parseInt(parts[2]), proto, parts[0], parts[1]);
                default -> throw new NumberFormatException();
            };
        } catch (NumberFormatException e) {
            throw new CliException(ExitCodes.COMMAND_SYNTAX, "run: invalid --publish \"" + spec + "\" (expected [[IP:]HOST:]CONTAINER[/PROTO])");
        }
    }

    /** {@code SRC:DST[:ro|rw]}: a path (absolute, or relative to the project directory) is a bind, else a volume. */
    static MountSpec mount(Project p, String spec) {
        String[] parts = spec.split(":");
        if (parts.length < 2 || parts.length > 3 || parts[0].isEmpty() || parts[1].isEmpty()) {
            throw new CliException(ExitCodes.COMMAND_SYNTAX, "run: invalid --volume \"" + spec + "\" (expected SRC:DST[:ro])");
        }
        boolean ro = parts.length == 3 && parts[2].equals("ro");
        String src = parts[0];
        if (src.startsWith("/") || src.startsWith(".") || src.startsWith("~")) {
            Path path = src.startsWith("~") ? Path.of(System.getProperty("user.home") + src.substring(1)) : p.workingDir().resolve(src);
            return MountSpec.bind(path.normalize().toString(), parts[1], ro);
        }
        Volume v = p.volumes().get(src);
        return MountSpec.volume(v == null ? src : v.name(), parts[1], ro);
    }

    /** docker compose awaits the run service's own depends_on conditions before creating it. */
    private void awaitDependencies(ContainerRuntime rt, Project p, Service s) throws InterruptedException {
        ServiceContainers sc = new ServiceContainers(rt, p);
        for (Map.Entry<String, Dependency> d : s.dependsOn().entrySet()) {
            if (!p.services().containsKey(d.getKey())) continue;
            List<String> names = sc.of(d.getKey(), true).stream().map(ContainerSummary::name).toList();
            switch (d.getValue().condition()) {
                case SERVICE_HEALTHY -> Readiness.await(rt, names, Optional.empty());
                case SERVICE_COMPLETED_SUCCESSFULLY -> {
                    for (String n : names) {
                        int code = rt.containers().wait(n, WaitCondition.NOT_RUNNING);
                        if (code != 0) {
                            throw new CliException(ExitCodes.FAILURE, "service \"" + d.getKey() + "\" didn't complete successfully: exit " + code);
                        }
                    }
                }
                case SERVICE_STARTED -> { }
            }
        }
    }
}
