package io.jcompose.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jcompose.reconcile.FakeRuntime;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The life-cycle verbs in process against the fake engine: order of the calls, which containers, flags. */
class LifecycleVerbsTest {
    private final FakeRuntime fake = new FakeRuntime();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    @TempDir
    Path dir;

    int run(String... args) {
        out.reset();
        err.reset();
        Map<String, String> env = Map.of("XDG_CACHE_HOME", dir.resolve("cache").toString());
        JcomposeCommand root = new JcomposeCommand(new JcomposeCommand.Context(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env::get, dir, () -> new java.io.ByteArrayInputStream(new byte[0])));
        root.runtimeSelectors = r -> new RuntimeSelector(env::get, e -> fake, p -> p.toString().equals("/var/run/docker.sock"));
        CommandLine cl = JcomposeCommand.commandLine(root);
        cl.setParameterExceptionHandler((ex, a) -> ExitCodes.COMMAND_SYNTAX);
        cl.setExecutionExceptionHandler((ex, line, parsed) -> JcomposeCommand.handle(ex, new PrintStream(err, true, StandardCharsets.UTF_8)));
        fake.calls.clear();
        return cl.execute(args);
    }

    String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    List<String> mutating() {
        return fake.calls.stream().filter(c -> !c.startsWith("list") && !c.startsWith("inspect")).toList();
    }

    @BeforeEach
    void stack() throws Exception {
        fake.images.put("busybox:latest", "sha256:1");
        Files.writeString(dir.resolve("compose.yaml"), """
                name: demo
                services:
                  db:
                    image: busybox
                  api:
                    image: busybox
                    depends_on: [db]
                  web:
                    image: busybox
                    depends_on: [api]
                """);
    }

    @Test
    void createMakesContainersWithoutStartingThemThenStartStartsDependenciesFirst() {
        assertThat(run("create", "--progress", "quiet")).as(err()).isZero();
        assertThat(fake.containers).containsOnlyKeys("demo-api-1", "demo-db-1", "demo-web-1");
        assertThat(fake.containers.values()).allMatch(c -> c.status.equals("created"));
        assertThat(run("start")).as(err()).isZero();
        assertThat(mutating()).containsExactly("start container demo-db-1", "start container demo-api-1", "start container demo-web-1");
        assertThat(err()).contains(" Container demo-web-1  Started");
    }

    @Test
    void stopGoesInReverseDependencyOrderAndOnlyTheNamedServices() {
        assertThat(run("up", "-d", "--progress", "quiet")).as(err()).isZero();
        assertThat(run("stop", "api")).as(err()).isZero();
        assertThat(mutating()).containsExactly("stop container demo-api-1");
        assertThat(run("stop", "-t", "3")).as(err()).isZero();
        assertThat(mutating()).containsExactly("stop container demo-web-1", "stop container demo-db-1");
        assertThat(run("start", "web")).as(err()).isZero();
        assertThat(mutating()).containsExactly("start container demo-web-1");
    }

    @Test
    void restartIncludesDependenciesUnlessNoDeps() {
        assertThat(run("up", "-d", "--progress", "quiet")).as(err()).isZero();
        assertThat(run("restart", "api")).as(err()).isZero();
        assertThat(mutating()).containsExactly("restart container demo-db-1", "restart container demo-api-1");
        assertThat(run("restart", "--no-deps", "api")).as(err()).isZero();
        assertThat(mutating()).containsExactly("restart container demo-api-1");
    }

    @Test
    void killPauseUnpauseActOnRunningContainers() {
        assertThat(run("up", "-d", "--progress", "quiet")).as(err()).isZero();
        assertThat(run("pause", "db")).as(err()).isZero();
        assertThat(mutating()).containsExactly("pause container demo-db-1");
        assertThat(run("kill", "-s", "SIGTERM", "web")).as(err()).isZero();
        assertThat(mutating()).containsExactly("kill container demo-web-1");
        assertThat(run("kill", "web")).as(err()).isZero();
        assertThat(err()).contains("no container to kill");
    }

    @Test
    void rmRemovesOnlyStoppedContainersAndStopsFirstWithS() {
        assertThat(run("up", "-d", "--progress", "quiet")).as(err()).isZero();
        assertThat(run("rm", "-f")).as(err()).isZero();
        assertThat(err()).contains("No stopped containers");
        assertThat(mutating()).isEmpty();
        assertThat(run("stop", "web")).isZero();
        // No terminal on stdin: nobody to ask, it proceeds (and says what it removes on stdout).
        assertThat(run("rm")).as(err()).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("Going to remove demo-web-1\n");
        assertThat(fake.containers).containsOnlyKeys("demo-api-1", "demo-db-1");
        assertThat(run("rm", "-f", "-s", "api")).as(err()).isZero();
        assertThat(mutating()).containsExactly("stop container demo-api-1", "remove container demo-api-1");
        assertThat(fake.containers).containsOnlyKeys("demo-db-1");
    }

    @Test
    void scaleIsUpWithScale() {
        assertThat(run("scale", "--progress", "quiet", "--no-deps", "web=2")).as(err()).isZero();
        assertThat(fake.containers).containsOnlyKeys("demo-web-1", "demo-web-2");
        assertThat(run("scale", "web")).isEqualTo(ExitCodes.COMMAND_SYNTAX);
    }

    @Test
    void unknownServiceFails() {
        assertThat(run("stop", "nope")).isNotZero();
        assertThat(err()).contains("no such service: nope");
    }

    @Test
    void everyUnsupportedVerbFailsWithExit16AndNamesItself() {
        for (String verb : UnsupportedCommands.VERBS.keySet()) {
            assertThat(run(verb, "x", "--some-flag")).as(verb).isEqualTo(ExitCodes.COMMAND_SYNTAX);
            assertThat(err()).as(verb).startsWith("jcompose does not support '" + verb + "' yet");
        }
        assertThat(fake.calls).isEmpty();
    }
}
