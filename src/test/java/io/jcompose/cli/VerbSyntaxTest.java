package io.jcompose.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Flag mistakes of the engine verbs: one line, exit 16, before any file is read or engine contacted. */
class VerbSyntaxTest {
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return JcomposeCommand.run(args, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.<String, String>of()::get);
    }

    @Test
    void badScale() {
        assertThat(run("up", "--scale", "web")).isEqualTo(ExitCodes.COMMAND_SYNTAX);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("up: --scale expects SERVICE=NUM, got \"web\"\n");
    }

    @Test
    void badPullPolicy() {
        assertThat(run("up", "--pull", "sometimes")).isEqualTo(ExitCodes.COMMAND_SYNTAX);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--pull must be always, missing or never");
    }

    @Test
    void incompatibleRecreateFlags() {
        assertThat(run("up", "--force-recreate", "--no-recreate")).isEqualTo(ExitCodes.COMMAND_SYNTAX);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("up: --force-recreate and --no-recreate are incompatible\n");
    }

    @Test
    void badRmi() {
        assertThat(run("down", "--rmi", "some")).isEqualTo(ExitCodes.COMMAND_SYNTAX);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("down: --rmi must be local or all");
    }

    @Test
    void badTail() {
        assertThat(run("logs", "--tail", "x")).isEqualTo(ExitCodes.COMMAND_SYNTAX);
    }
}
