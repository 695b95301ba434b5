package io.jcompose.cli;

import io.jcompose.reconcile.Labels;
import io.jcompose.runtime.ContainerSummary;
import io.jcompose.runtime.ExecSpec;
import io.jcompose.runtime.Stdio;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code jcompose exec SERVICE COMMAND [ARG...]}: runs a command in a running service container (replica
 * {@code --index}, default 1), with stdin attached and, when stdin is a terminal and {@code -T} is not given, a
 * TTY. The command's exit code is jcompose's. Options end at the service name, so the command's own flags pass
 * through ({@code exec web ls -la}).
 */
@Command(name = "exec", description = "Execute a command in a running container", modelTransformer = StopAtPositional.class)
final class ExecCommand implements Callable<Integer> {
    @ParentCommand
    JcomposeCommand root;

    @Option(names = {"-d", "--detach"}, description = "Detached mode: run the command in the background")
    boolean detach;
    @Option(names = {"-e", "--env"}, paramLabel = "KEY=VAL", description = "Set environment variables (repeatable)")
    List<String> env = new ArrayList<>();
    @Option(names = {"-u", "--user"}, paramLabel = "USER", description = "Run the command as this user")
    String user;
    @Option(names = {"-w", "--workdir"}, paramLabel = "DIR", description = "Path to workdir directory for this command")
    String workdir;
    @Option(names = {"-T", "--no-TTY"}, description = "Disable pseudo-TTY allocation (default: a TTY when stdin is a terminal)")
    boolean noTty;
    @Option(names = {"-t", "--tty"}, hidden = true, description = "Allocate a pseudo-TTY (the default on a terminal)")
    boolean tty;
    @Option(names = {"-i", "--interactive"}, hidden = true, defaultValue = "true", description = "Keep stdin open (always)")
    boolean interactive;
    @Option(names = "--index", paramLabel = "N", description = "Index of the container if the service has multiple replicas (default 1)")
    int index = 1;
    @Option(names = "--privileged", description = "Give extended privileges to the process")
    boolean privileged;
    @Parameters(index = "0", paramLabel = "SERVICE")
    String service;
    @Parameters(index = "1..*", paramLabel = "COMMAND", arity = "1..*")
    List<String> command = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        JcomposeCommand.Context c = root.context();
        return Verbs.withProject(root, List.of(), (p, engine) -> {
            ServiceContainers.checkServices(p, List.of(service));
            ContainerSummary target = null;
            for (ContainerSummary x : new ServiceContainers(engine.runtime, p).of(service, false)) {
                if (x.labels().getOrDefault(Labels.CONTAINER_NUMBER, "").equals(Integer.toString(index))) target = x;
            }
            if (target == null) {
                throw new CliException(ExitCodes.FAILURE, "service \"" + service + "\" is not running"
                        + (index == 1 ? "" : " (no running container with index " + index + ")"));
            }
            boolean terminal = Terminal.interactive(c);
            boolean useTty = !noTty && (tty || terminal) && !detach;
            ExecSpec spec = new ExecSpec(command, envMap(env, c.env()), user, workdir, useTty, privileged);
            if (detach) {
                engine.runtime.containers().execDetached(target.name(), spec);
                return ExitCodes.OK;
            }
            Stdio io = new Stdio(interactive ? Optional.of(c.in().get()) : Optional.empty(), c.out(), c.err(),
                    useTty && terminal ? Terminal.size() : Optional.empty());
            try (AutoCloseable raw = useTty && terminal ? Terminal.raw() : () -> { }) {
                return engine.runtime.containers().execAttached(target.name(), spec, io);
            }
        });
    }

    /** {@code KEY=VAL} entries; a bare {@code KEY} takes the value from jcompose's environment, as docker does. */
    /**
     * {@code -e KEY=VAL} and {@code -e KEY}; a bare KEY takes its value from {@code resolve} (null: left out, so the
     * container keeps the image's or the service's value), as docker compose resolves it from the project's
     * environment.
     */
    static TreeMap<String, String> envMap(List<String> entries, java.util.function.Function<String, String> resolve) {
        TreeMap<String, String> m = new TreeMap<>();
        for (String e : entries) {
            int eq = e.indexOf('=');
            if (eq == 0) throw new CliException(ExitCodes.COMMAND_SYNTAX, "invalid environment variable \"" + e + "\" (expected KEY=VALUE)");
            if (eq < 0) {
                String v = resolve.apply(e);
                if (v != null) m.put(e, v);
            } else {
                m.put(e.substring(0, eq), e.substring(eq + 1));
            }
        }
        return m;
    }
}
