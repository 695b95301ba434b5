package io.jcompose.cli;

import io.jcompose.project.ComposeFileException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
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
        description = "Define and run multi-container applications (Compose Specification).",
        subcommands = {VersionCommand.class, ConfigCommand.class, UpCommand.class, DownCommand.class, PsCommand.class, LogsCommand.class, CommandLine.HelpCommand.class, picocli.AutoComplete.GenerateCompletion.class})
public final class JcomposeCommand implements Runnable {

    /** What the process was started with: streams, environment, working directory. Tests pass their own. */
    public record Context(PrintStream out, PrintStream err, Function<String, String> env, Path cwd) {}

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

    JcomposeCommand(Context context) {
        this.context = context;
    }

    public Context context() {
        return context;
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
        CommandLine cl = new CommandLine(new JcomposeCommand(context));
        cl.setOut(new PrintWriter(context.out(), true));
        cl.setErr(new PrintWriter(context.err(), true));
        cl.setParameterExceptionHandler((ex, a) -> {
            context.err().println("jcompose: " + ex.getMessage());
            return ExitCodes.COMMAND_SYNTAX;
        });
        cl.setExecutionExceptionHandler((ex, line, parsed) -> handle(ex, context.err()));
        return cl.execute(args);
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
