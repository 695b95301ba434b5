package io.jcompose.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "version", description = "Show the jcompose version information")
final class VersionCommand implements Runnable {
    @ParentCommand
    JcomposeCommand root;

    @Option(names = {"-f", "--format"}, paramLabel = "FORMAT", description = "Format the output: pretty or json")
    String format = "pretty";

    @Option(names = "--short", description = "Show only the version number")
    boolean shortOutput;

    @Override
    public void run() {
        String v = version();
        if (shortOutput) root.context().out().println(v);
        else if ("json".equals(format)) root.context().out().println("{\"version\":\"" + v + "\"}");
        else if ("pretty".equals(format)) root.context().out().println("jcompose version " + v);
        else throw new CliException(ExitCodes.COMMAND_SYNTAX, "version: unknown --format \"" + format + "\" (use pretty or json)");
    }

    static String version() {
        try (InputStream in = VersionCommand.class.getResourceAsStream("/io/jcompose/version.properties")) {
            if (in == null) return "dev";
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "dev");
        } catch (IOException e) {
            return "dev";
        }
    }

    static final class Provider implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"jcompose version " + version()};
        }
    }
}
