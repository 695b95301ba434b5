package io.jcompose.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jcompose.reconcile.FakeRuntime;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The verbs in process, from a real Compose file through the real loader, against the fake engine. */
class UpDryRunCliTest {
    private final FakeRuntime fake = new FakeRuntime();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(Path dir, String... args) {
        Map<String, String> env = Map.of("XDG_CACHE_HOME", dir.resolve("cache").toString());
        JcomposeCommand root = new JcomposeCommand(new JcomposeCommand.Context(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env::get, dir));
        root.runtimeSelectors = r -> new RuntimeSelector(env::get, e -> fake, p -> p.toString().equals("/var/run/docker.sock"));
        CommandLine cl = JcomposeCommand.commandLine(root);
        cl.setExecutionExceptionHandler((ex, line, parsed) -> JcomposeCommand.handle(ex, new PrintStream(err, true, StandardCharsets.UTF_8)));
        return cl.execute(args);
    }

    @Test
    void dryRunPrintsThePlanAndChangesNothingThenUpDoes(@TempDir Path dir) throws Exception {
        fake.images.put("busybox:latest", "sha256:1");
        Files.writeString(dir.resolve("compose.yaml"), """
                name: demo
                services:
                  db:
                    image: busybox
                    healthcheck: {test: ["CMD", "true"]}
                  web:
                    image: busybox
                    depends_on: {db: {condition: service_healthy}}
                """);
        assertThat(run(dir, "up", "--dry-run")).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("""
                create network demo_default  — missing
                create container demo-db-1  (after: create network demo_default)  — missing
                create container demo-web-1  (after: create container demo-db-1, create network demo_default)  — missing
                start container demo-db-1  (after: create container demo-db-1)  — created
                await db healthy  (after: create container demo-web-1, start container demo-db-1)  — web depends on db (service_healthy)
                start container demo-web-1  (after: await db healthy, create container demo-web-1)  — created
                """);
        assertThat(fake.calls).isNotEmpty();
        assertThat(fake.mutatingCalls()).isEmpty();

        assertThat(run(dir, "up", "-d", "--progress", "quiet")).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(fake.containers).containsOnlyKeys("demo-db-1", "demo-web-1");
        assertThat(fake.containers.get("demo-web-1").spec.labels())
                .containsEntry("com.docker.compose.project.config_files", dir.resolve("compose.yaml").toString());
        assertThat(Files.exists(dir.resolve("cache/jcompose/locks/demo.lock"))).as("the project lock file").isTrue();

        out.reset();
        assertThat(run(dir, "ps", "-q")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8).lines()).hasSize(2);
        assertThat(run(dir, "down", "--progress", "quiet")).isZero();
        assertThat(fake.containers).isEmpty();
    }
}
