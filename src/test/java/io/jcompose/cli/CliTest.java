package io.jcompose.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

class CliTest {
    record Result(int code, String out, String err) {}

    static Result run(Path cwd, Map<String, String> env, String... args) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int code = JcomposeCommand.run(args, new JcomposeCommand.Context(
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), env::get, cwd));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void versionPrintsTheBuildVersion() {
        Result r = run(Path.of("."), Map.of(), "version");
        assertThat(r.code()).isZero();
        assertThat(r.out()).startsWith("jcompose version ");
    }

    @Test
    void unknownVerbIsACommandSyntaxError() {
        Result r = run(Path.of("."), Map.of(), "frobnicate");
        assertThat(r.code()).isEqualTo(ExitCodes.COMMAND_SYNTAX);
        assertThat(r.err()).contains("frobnicate").doesNotContain("Exception");
    }
}
