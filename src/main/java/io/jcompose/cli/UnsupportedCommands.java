package io.jcompose.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Unmatched;

/**
 * docker compose verbs jcompose does not have yet. Each is a real command so that it fails loudly — exit 16
 * (command syntax) and one line naming the verb — instead of picocli's generic "unknown command" or, worse,
 * doing nothing. {@link #VERBS} is the list; a test checks every entry is registered and fails.
 */
final class UnsupportedCommands {
    private UnsupportedCommands() {}

    /** Verb → what to use instead (empty: nothing yet). */
    static final java.util.SortedMap<String, String> VERBS = new java.util.TreeMap<>(java.util.Map.ofEntries(
            java.util.Map.entry("alpha", ""),
            java.util.Map.entry("bridge", ""),
            java.util.Map.entry("commit", "use 'docker commit' on the container"),
            java.util.Map.entry("export", "use 'docker export' on the container"),
            java.util.Map.entry("publish", ""),
            java.util.Map.entry("viz", ""),
            java.util.Map.entry("volumes", "use 'docker volume ls --filter label=com.docker.compose.project=NAME'"),
            java.util.Map.entry("watch", "")));

    abstract static class Verb implements Callable<Integer> {
        @ParentCommand
        JcomposeCommand root;
        @Unmatched
        List<String> ignored = new ArrayList<>();
        @Parameters(hidden = true)
        List<String> args = new ArrayList<>();

        @Override
        public Integer call() {
            String name = getClass().getAnnotation(Command.class).name();
            String instead = VERBS.getOrDefault(name, "");
            throw new CliException(ExitCodes.COMMAND_SYNTAX, "jcompose does not support '" + name + "' yet"
                    + (instead.isEmpty() ? "" : "; " + instead));
        }
    }

    @Command(name = "alpha", description = "Not supported yet") static final class Alpha extends Verb {}
    @Command(name = "bridge", description = "Not supported yet") static final class Bridge extends Verb {}
    @Command(name = "commit", description = "Not supported yet") static final class Commit extends Verb {}
    @Command(name = "export", description = "Not supported yet") static final class Export extends Verb {}
    @Command(name = "publish", description = "Not supported yet") static final class Publish extends Verb {}
    @Command(name = "viz", description = "Not supported yet") static final class Viz extends Verb {}
    @Command(name = "volumes", description = "Not supported yet") static final class Volumes extends Verb {}
    @Command(name = "watch", description = "Not supported yet") static final class Watch extends Verb {}
}
