package io.jcompose.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The build flags' syntax and {@code build --dry-run}, in process and without an engine. */
class BuildCliTest {
    @TempDir
    Path dir;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void file() throws Exception {
        Files.writeString(dir.resolve("compose.yaml"), """
                name: demo
                services:
                  api: {build: ./api}
                  web: {image: busybox, build: {context: ./web, tags: ["reg/web:2"]}}
                  cache: {image: busybox}
                """);
    }

    private int run(String... args) {
        Map<String, String> env = Map.of("DOCKER_HOST", "unix://" + dir.resolve("no.sock"), "HOME", dir.toString());
        return JcomposeCommand.run(args, new JcomposeCommand.Context(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env::get, dir, () -> new ByteArrayInputStream(new byte[0])));
    }

    @Test
    void buildDryRunListsOneBuildPerServiceWithABuildSection() {
        assertThat(run("build", "--dry-run")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(
                "build image busybox  — jcompose build\nbuild image demo-api  — jcompose build\n");
        out.reset();
        assertThat(run("build", "--dry-run", "api")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("build image demo-api  — jcompose build\n");
    }

    @Test
    void flagsAreChecked() {
        assertThat(run("up", "--build", "--no-build")).isEqualTo(ExitCodes.COMMAND_SYNTAX);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("up: --build and --no-build are incompatible");
        err.reset();
        assertThat(run("create", "--build", "--no-build")).isEqualTo(ExitCodes.COMMAND_SYNTAX);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("create: --build and --no-build are incompatible");
        err.reset();
        assertThat(run("build", "--build-arg", "=x")).isEqualTo(ExitCodes.COMMAND_SYNTAX);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--build-arg expects KEY=VALUE or KEY");
        err.reset();
        // As every verb, and as docker compose: an unknown service name is a plain failure.
        assertThat(run("build", "--dry-run", "nope")).isEqualTo(ExitCodes.FAILURE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("nope");
    }
}
