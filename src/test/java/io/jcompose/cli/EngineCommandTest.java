package io.jcompose.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EngineCommandTest {
    @TempDir
    Path tmp;

    @Test
    void unknownLogLevelIsACommandSyntaxError() {
        var r = CliTest.run(tmp, Map.of(), "engine", "--root", tmp.toString(), "--socket", tmp.resolve("s").toString(), "--log-level", "loud");
        assertThat(r.code()).isEqualTo(ExitCodes.COMMAND_SYNTAX);
        assertThat(r.err().trim()).isEqualTo("engine: unknown log level \"loud\" (use debug, info, warn or error)");
    }

    @Test
    void rootComesFromJcomposeRootAndANewerFormatIsRefusedInOneLine() throws Exception {
        Path root = tmp.resolve("state");
        Files.createDirectories(root);
        Files.writeString(root.resolve("format-version"), "7\n");
        var r = CliTest.run(tmp, Map.of("JCOMPOSE_ROOT", root.toString()), "engine", "--socket", tmp.resolve("s").toString());
        assertThat(r.code()).isEqualTo(ExitCodes.FAILURE);
        assertThat(r.err().trim()).isEqualTo("jcompose engine: state root " + root.toRealPath()
                + " has format 7, written by a newer jcompose; this engine reads format 1 at most: upgrade jcompose or use another --root");
        assertThat(tmp.resolve("s")).doesNotExist();
    }

    @Test
    void helpListsTheOptions() {
        var r = CliTest.run(tmp, Map.of(), "engine", "--help");
        assertThat(r.out()).contains("--root").contains("--socket").contains("--group").contains("--log-level").doesNotContain("--detached");
    }
}
