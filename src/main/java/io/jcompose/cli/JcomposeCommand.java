package io.jcompose.cli;

import io.jcompose.project.ComposeFileException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The root command: global options shared by every verb (as docker compose's), and the single place where
 * failures become exit codes and one-line messages.
 */
@Command(name = "jcompose",
        mixinStandardHelpOptions = false,
        versionProvider = VersionCommand.Provider.class,
        description = "Define and run multi-container applications (Compose Specification).")
public final class JcomposeCommand implements Runnable {

    /**
     * Every verb. Not in {@code @Command(subcommands)}: picocli would build the model of all of them (reflection,
     * converters) on every start, about a tenth of a no-op {@code up}'s CPU; {@link #commandLine} adds only the verb
     * named on the command line, or all of them when it cannot tell (help, completion, an unknown or abbreviated word).
     */
    static final List<Class<?>> VERBS = List.of(VersionCommand.class, ConfigCommand.class, UpCommand.class, DownCommand.class, PsCommand.class, LogsCommand.class,
                CreateCommand.class, StartCommand.class, StopCommand.class, RestartCommand.class, RmCommand.class,
                KillCommand.class, PauseCommand.class, UnpauseCommand.class, ExecCommand.class, RunCommand.class,
                PortCommand.class, ImagesCommand.class, LsCommand.class, WaitCommand.class, PullCommand.class, EventsCommand.class,
                AttachCommand.class, TopCommand.class, StatsCommand.class, CpCommand.class, PushCommand.class, ScaleCommand.class,
                UnsupportedCommands.Alpha.class, UnsupportedCommands.Bridge.class,
                BuildCommand.class, UnsupportedCommands.Commit.class,
                UnsupportedCommands.Export.class, UnsupportedCommands.Publish.class,
                UnsupportedCommands.Viz.class, UnsupportedCommands.Volumes.class, UnsupportedCommands.Watch.class,
                EngineCommand.class, CommandLine.HelpCommand.class, picocli.AutoComplete.GenerateCompletion.class);

    /**
     * What the process was started with: streams, environment, working directory, standard input. Tests pass their
     * own. {@code env} may be an {@link io.jcompose.project.EnvironmentVariables} so {@code config --environment}
     * can list it.
     */
    public record Context(PrintStream out, PrintStream err, Function<String, String> env, Path cwd, Supplier<InputStream> in) {
        public Context(PrintStream out, PrintStream err, Function<String, String> env, Path cwd) {
            this(out, err, env, cwd, () -> System.in);
        }
    }

    private final Context context;

    @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "Compose configuration files (repeatable; - for stdin)")
    List<String> files = new ArrayList<>();

    @Option(names = {"-p", "--project-name"}, paramLabel = "NAME", description = "Project name")
    String projectName;

    @Option(names = "--project-directory", paramLabel = "DIR", description = "Alternate working directory (default: the directory of the first Compose file)")
    String projectDirectory;

    @Option(names = "--env-file", paramLabel = "FILE", description = "Alternate environment files (repeatable)")
    List<String> envFiles = new ArrayList<>();

    @Option(names = "--profile", paramLabel = "PROFILE", description = "Enable a profile (repeatable)")
    List<String> profiles = new ArrayList<>();

    /** docker compose's global {@code --dry-run}: the verbs that can print a plan do so and change nothing. */
    @Option(names = "--dry-run", description = "Execute command in dry run mode (up, down: print the plan, change nothing)")
    boolean dryRun;

    /** docker compose's global {@code --all-resources}: up also creates the networks and volumes no service uses. */
    @Option(names = "--all-resources", description = "Include all resources, even those not used by services")
    boolean allResources;

    /** docker compose's {@code --compatibility}: v1 container names ({@code project_service_1}). */
    @Option(names = "--compatibility", description = "Run compose in backward compatibility mode (v1 container names)")
    boolean compatibility;

    /**
     * docker compose's {@code --verbose} (debug logging there). jcompose already prints every step and the builder's
     * whole output, so it adds nothing; accepted so scripts written for docker compose run.
     */
    @Option(names = "--verbose", description = "Show more output (accepted for docker compose compatibility; jcompose's output is already complete)")
    boolean verbose;

    @Option(names = "--runtime", paramLabel = "RUNTIME", description = "Engine to use: auto (default; or JCOMPOSE_RUNTIME), builtin, docker")
    String runtime;

    /** Chooses the engine for the engine verbs; tests replace it with one that returns a fake. */
    java.util.function.Function<JcomposeCommand, RuntimeSelector> runtimeSelectors = r -> RuntimeSelector.system(r.context().env());

    RuntimeSelector runtimes() {
        return runtimeSelectors.apply(this);
    }

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit")
    boolean help;

    @Option(names = {"-v", "--version"}, versionHelp = true, description = "Show the version and exit")
    boolean version;

    /** Makes the loader {@code config} (and later the other verbs) use; tests pass one with stand-in stages. */
    private final Supplier<io.jcompose.project.ProjectLoader> loaders;

    JcomposeCommand(Context context) {
        this(context, cliLoaders(context));
    }

    /** Loaders that skip the schema for files it passed before (see {@code SchemaValidator.cached}). */
    static Supplier<io.jcompose.project.ProjectLoader> cliLoaders(Context context) {
        return () -> io.jcompose.project.ProjectLoader.withSchemaCache(
                io.jcompose.project.SchemaValidator.cacheDirectory(context.env()));
    }

    JcomposeCommand(Context context, Supplier<io.jcompose.project.ProjectLoader> loaders) {
        this.context = context;
        this.loaders = loaders;
    }

    io.jcompose.project.ProjectLoader loader() {
        return loaders.get();
    }

    public Context context() {
        return context;
    }

    /** The loader's options from the global flags; {@code services} are those named on the command line. */
    io.jcompose.project.ProjectOptions projectOptions(List<String> services, boolean interpolate) {
        return projectOptions(services, interpolate, profiles);
    }

    io.jcompose.project.ProjectOptions projectOptions(List<String> services, boolean interpolate, List<String> activeProfiles) {
        return new io.jcompose.project.ProjectOptions(context.cwd().toAbsolutePath(), files, Optional.ofNullable(projectName),
                Optional.ofNullable(projectDirectory), envFiles, activeProfiles, services, context.env(), this::readStdin, interpolate);
    }

    private String readStdin() {
        try (InputStream in = context.in().get()) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CliException(ExitCodes.FAILURE, "cannot read the Compose file from standard input: " + e.getMessage(), e);
        }
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(new CommandLine(this), "missing command; run 'jcompose --help'");
    }

    /** Runs jcompose with the given arguments and returns its exit code; never throws, never calls exit. */
    public static int run(String[] args, PrintStream out, PrintStream err, Function<String, String> env) {
        return run(args, new Context(out, err, env, Path.of("").toAbsolutePath()));
    }

    public static int run(String[] args, Context context) {
        return run(args, context, cliLoaders(context));
    }

    static int run(String[] args, Context context, Supplier<io.jcompose.project.ProjectLoader> loaders) {
        CommandLine cl = commandLine(new JcomposeCommand(context, loaders), args);
        cl.setOut(new PrintWriter(context.out(), true));
        cl.setErr(new PrintWriter(context.err(), true));
        cl.setParameterExceptionHandler((ex, a) -> {
            context.err().println("jcompose: " + ex.getMessage());
            return ExitCodes.COMMAND_SYNTAX;
        });
        cl.setExecutionExceptionHandler((ex, line, parsed) -> handle(ex, context.err()));
        return cl.execute(args);
    }

    /** The root with every verb (help, completion, tests). */
    static CommandLine commandLine(JcomposeCommand root) {
        CommandLine cl = new CommandLine(root);
        // A CommandLine, not the class: addSubcommand(Class) would drop what a verb's model transformer set
        // (exec and run stop parsing options at the service name).
        for (Class<?> verb : VERBS) cl.addSubcommand(new CommandLine(verb));
        return cl;
    }

    /**
     * The root with only the verb {@code args} name, when that is certain: the first word after the global options
     * is exactly a verb's name or alias. Otherwise every verb, so help, suggestions and errors are picocli's as ever.
     * Settings (streams, handlers) must be set after this: picocli copies them only to subcommands already added.
     */
    static CommandLine commandLine(JcomposeCommand root, String[] args) {
        Class<?> verb = verbNamed(args);
        if (verb == null) return commandLine(root);
        CommandLine cl = new CommandLine(root);
        cl.addSubcommand(new CommandLine(verb));
        return cl;
    }

    /** Global options that take a value (the next word unless attached with = or, for short ones, directly). */
    private static final java.util.Set<String> VALUE_OPTIONS = java.util.Set.of("-f", "--file", "-p", "--project-name",
            "--project-directory", "--env-file", "--profile", "--runtime");

    static Class<?> verbNamed(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (VALUE_OPTIONS.contains(a)) {
                i++;
                continue;
            }
            if (a.startsWith("--") && VALUE_OPTIONS.contains(a.substring(0, Math.max(0, a.indexOf('='))))) continue;
            if (a.length() > 2 && (a.startsWith("-f") || a.startsWith("-p")) && !a.startsWith("--")) continue;
            if (a.startsWith("-")) return null; // help, version, "--", or a mistake: picocli decides with every verb
            for (Class<?> verb : VERBS) {
                Command c = verb.getAnnotation(Command.class);
                if (c.name().equals(a) || java.util.Arrays.asList(c.aliases()).contains(a)) {
                    return verb == CommandLine.HelpCommand.class || verb == picocli.AutoComplete.GenerateCompletion.class ? null : verb;
                }
            }
            return null;
        }
        return null;
    }

    static int handle(Exception ex, PrintStream err) {
        if (ex instanceof CliException c) {
            err.println(c.getMessage());
            return c.exitCode();
        }
        if (ex instanceof io.jcompose.project.ComposeFileNotFoundException c) {
            err.println(c.getMessage());
            return ExitCodes.FILE_NOT_FOUND;
        }
        if (ex instanceof io.jcompose.project.NoSuchServiceException n) {
            err.println(n.getMessage());
            return ExitCodes.FAILURE;
        }
        if (ex instanceof ComposeFileException c) {
            err.println(c.getMessage());
            return ExitCodes.COMPOSE_PARSE;
        }
        // Not a user error: a bug. Say so and show where, so it can be reported.
        err.println("jcompose: internal error: " + ex);
        ex.printStackTrace(err);
        return ExitCodes.FAILURE;
    }
}
