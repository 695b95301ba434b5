package io.jcompose.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The start-up shortcut that registers only the verb named on the command line must not change what picocli does. */
class VerbSelectionTest {
    private static JcomposeCommand root() {
        PrintStream sink = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        return new JcomposeCommand(new JcomposeCommand.Context(sink, sink, k -> null, Path.of("")));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "NONE", value = {
            "up -d                              | up",
            "-f a.yaml -p demo up --wait        | up",
            "--file a.yaml --project-name x ps  | ps",
            "--file=a.yaml --profile p down     | down",
            "-fa.yaml -pdemo config             | config",
            "--runtime docker --env-file e logs | logs",
            "--project-directory d version      | version",
            "--help                             | NONE",
            "-v                                 | NONE",
            "help up                            | NONE",
            "generate-completion                | NONE",
            "upp                                | NONE",
            "--unknown up                       | NONE",
            "-f                                 | NONE",
    })
    void findsTheVerbOnlyWhenCertain(String line, String verb) {
        Class<?> found = JcomposeCommand.verbNamed(line.trim().split("\\s+"));
        assertThat(found == null ? null : found.getAnnotation(Command.class).name()).isEqualTo(verb);
    }

    @Test
    void everyVerbAloneHasTheSameModelAsAmongAll() {
        CommandLine all = JcomposeCommand.commandLine(root());
        for (Class<?> verb : JcomposeCommand.VERBS) {
            String name = verb.getAnnotation(Command.class).name();
            if (JcomposeCommand.verbNamed(new String[] {name}) == null) continue; // help, completion: always all verbs
            CommandLine alone = JcomposeCommand.commandLine(root(), new String[] {name, "--help"});
            assertThat(alone.getSubcommands().keySet()).as(name).containsExactly(name);
            assertThat(alone.getSubcommands().get(name).getUsageMessage(CommandLine.Help.Ansi.OFF)).as(name)
                    .isEqualTo(all.getSubcommands().get(name).getUsageMessage(CommandLine.Help.Ansi.OFF));
            assertThat(alone.getSubcommands().get(name).getCommandSpec().parser().stopAtPositional()).as(name)
                    .isEqualTo(all.getSubcommands().get(name).getCommandSpec().parser().stopAtPositional())
                    .isEqualTo(name.equals("exec") || name.equals("run")); // StopAtPositional, the model transformer
            assertThat(alone.getSubcommands().get(name).getParent()).isSameAs(alone);
        }
        assertThat(all.getSubcommands()).hasSize(JcomposeCommand.VERBS.size());
    }

    @Test
    void helpListsEveryVerb() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8);
        int code = JcomposeCommand.run(new String[] {"--help"}, new JcomposeCommand.Context(ps, ps, k -> null, Path.of("")));
        assertThat(code).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("  up ").contains("  down ").contains("  engine ");
    }
}
