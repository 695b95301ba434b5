package io.jcompose.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jcompose.reconcile.Labels;
import io.jcompose.runtime.ContainerRuntime;
import io.jcompose.runtime.ContainerSummary;
import io.jcompose.runtime.docker.DockerEndpoint;
import io.jcompose.runtime.docker.DockerRuntime;
import io.jcompose.testing.Dockerd;
import io.jcompose.testing.TestImages;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** port, images, ls, top, ps --status/--filter, logs --since/--until, events --json, wait, pull, attach against dockerd. */
@Tag("integration")
class QueryVerbsIntegrationTest {
    private final String project = "jcq" + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    @TempDir
    Path dir;
    private ContainerRuntime rt;

    static final String STACK = """
            services:
              db:
                image: busybox
                command: ["sh", "-c", "echo db up; exec sleep 300"]
                labels: {io.jcompose.test: "true"}
                stop_signal: SIGKILL
                ports: ["127.0.0.1::8080"]
              job:
                image: busybox
                command: ["sh", "-c", "sleep 2; echo late; exit 3"]
                labels: {io.jcompose.test: "true"}
              ghost:
                image: 127.0.0.1:1/jcompose-missing:latest
                profiles: [missing]
            """;

    @BeforeEach
    void setUp() throws Exception {
        Dockerd.shared();
        TestImages.pullIntoDockerd("busybox");
        Files.writeString(dir.resolve("compose.yaml"), "name: " + project + "\n" + STACK);
        rt = DockerRuntime.connect(DockerEndpoint.unix(Dockerd.DEFAULT_SOCKET), System::getenv, Path.of(System.getProperty("user.home")));
    }

    @AfterEach
    void tearDown() {
        if (rt == null) return;
        run("down", "-t", "0");
        for (ContainerSummary c : rt.containers().list(List.of(Labels.projectFilter(project)), true)) rt.containers().remove(c.id(), true, true);
        rt.close();
    }

    int run(String... args) {
        out.reset();
        err.reset();
        Map<String, String> env = new TreeMap<>(Map.of("DOCKER_HOST", "unix://" + Dockerd.DEFAULT_SOCKET,
                "XDG_CACHE_HOME", dir.resolve("cache").toString(), "HOME", System.getProperty("user.home")));
        return JcomposeCommand.run(args, new JcomposeCommand.Context(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env::get, dir, () -> new ByteArrayInputStream(new byte[0])));
    }

    String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void queriesOfARunningProject() {
        Instant before = Instant.now().minusSeconds(1);
        assertThat(run("up", "-d", "--progress", "quiet", "db")).as(err.toString(StandardCharsets.UTF_8)).isZero();
        int hostPort = rt.containers().inspect(project + "-db-1").ports().stream().filter(p -> p.containerPort() == 8080)
                .map(p -> Integer.parseInt(p.hostPort())).findFirst().orElseThrow();
        assertThat(run("port", "db", "8080")).isZero();
        assertThat(out()).isEqualTo("127.0.0.1:" + hostPort + "\n");
        assertThat(run("port", "--protocol", "udp", "db", "8080")).isEqualTo(ExitCodes.FAILURE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("no port 8080/udp for container " + project + "-db-1");

        assertThat(run("images")).isZero();
        assertThat(out()).startsWith("CONTAINER").contains(project + "-db-1", "busybox", "latest");
        assertThat(run("images", "--format", "json")).isZero();
        assertThat(out()).startsWith("[{\"ContainerName\":\"" + project + "-db-1\",\"Repository\":\"busybox\"");

        assertThat(run("ls", "--filter", "name=" + project)).isZero();
        assertThat(out()).startsWith("NAME").contains(project).contains("running(1)").contains(dir.resolve("compose.yaml").toString());
        assertThat(run("ls", "-q", "--filter", "name=" + project)).isZero();
        assertThat(out()).isEqualTo(project + "\n");
        assertThat(run("ls", "--format", "json", "--filter", "name=" + project)).isZero();
        assertThat(out()).isEqualTo("[{\"Name\":\"" + project + "\",\"Status\":\"running(1)\",\"ConfigFiles\":\""
                + dir.resolve("compose.yaml") + "\"}]\n");

        // Against dockerd this needs the host's `ps` (procps): dockerd runs it for /containers/{id}/top.
        assertThat(run("top", "db")).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(out()).startsWith(project + "-db-1\nUID").contains("sleep 300");

        assertThat(run("stats", "--no-stream", "db")).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(out().lines().toList()).hasSize(2);
        assertThat(out()).startsWith("CONTAINER ID").contains(project + "-db-1").containsPattern("\\d+\\.\\d\\d%");
        assertThat(run("stats", "--no-stream", "--format", "json", "db")).isZero();
        assertThat(out()).startsWith("{\"ID\":").contains("\"PIDs\":\"1\"");
        assertThat(run("stats", "db")).isEqualTo(ExitCodes.COMMAND_SYNTAX);

        assertThat(run("logs", "--since", "2099-01-01T00:00:00Z", "db")).isZero();
        assertThat(out()).isEmpty();
        assertThat(run("logs", "--until", "1h", "db")).isZero();
        assertThat(out()).isEmpty();
        assertThat(run("logs", "--since", "1h", "db")).isZero();
        assertThat(out()).contains("db up");

        assertThat(run("up", "-d", "--progress", "quiet", "job")).isZero();
        assertThat(run("wait", "job")).isEqualTo(3);
        assertThat(run("ps", "--status", "exited", "-q")).isZero();
        assertThat(out().strip()).isEqualTo(rt.containers().inspect(project + "-job-1").id());
        assertThat(run("ps", "--filter", "status=running", "--services")).isZero();
        assertThat(out()).isEqualTo("db\n");
        assertThat(run("ps", "--filter", "name=x")).isEqualTo(ExitCodes.COMMAND_SYNTAX);

        assertThat(run("events", "--json", "--since", before.toString(), "--until", Instant.now().toString(), "job")).isZero();
        assertThat(out().lines()).anyMatch(l -> l.contains("\"action\":\"die\"") && l.contains("\"service\":\"job\""))
                .allMatch(l -> l.contains("\"service\":\"job\"") && l.startsWith("{\"time\":"));
    }

    @Test
    void pullPoliciesAndFailures() {
        assertThat(run("pull", "--policy", "missing", "db")).isZero();
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("Image busybox Skipped Image is already present locally");
        assertThat(run("--profile", "missing", "pull", "ghost")).isEqualTo(ExitCodes.PULL);
        assertThat(run("--profile", "missing", "pull", "--ignore-pull-failures", "-q", "ghost")).isZero();
        assertThat(run("pull", "--policy", "sometimes")).isEqualTo(ExitCodes.COMMAND_SYNTAX);
    }

    @Test
    void attachFollowsTheContainerUntilItStopsAndReturnsItsExitCode() {
        assertThat(run("up", "-d", "--progress", "quiet", "job")).isZero();
        assertThat(run("attach", "--no-stdin", "job")).isEqualTo(3);
        assertThat(out()).isEqualTo("late\n");
    }

    @Test
    void cpBothWays() throws Exception {
        assertThat(run("up", "-d", "--progress", "quiet", "db")).isZero();
        Path src = Files.createDirectories(dir.resolve("src/sub"));
        Files.writeString(src.resolve("a.txt"), "alpha\n");
        Files.writeString(dir.resolve("src/" + "long-".repeat(25) + "name.txt"), "long\n");
        assertThat(run("cp", "src", "db:/tmp/copied")).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(run("exec", "-T", "db", "cat", "/tmp/copied/sub/a.txt", "/tmp/copied/" + "long-".repeat(25) + "name.txt")).isZero();
        assertThat(out()).isEqualTo("alpha\nlong\n");
        assertThat(run("cp", "src/sub/a.txt", "db:/tmp")).isZero();
        assertThat(run("exec", "-T", "db", "cat", "/tmp/a.txt")).isZero();
        assertThat(out()).isEqualTo("alpha\n");

        assertThat(run("cp", "db:/tmp/copied", "back")).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(Files.readString(dir.resolve("back/sub/a.txt"))).isEqualTo("alpha\n");
        Files.createDirectories(dir.resolve("into"));
        assertThat(run("cp", "db:/tmp/a.txt", "into")).isZero();
        assertThat(Files.readString(dir.resolve("into/a.txt"))).isEqualTo("alpha\n");
        assertThat(run("cp", "db:/nope", "x")).isEqualTo(ExitCodes.FAILURE);
        assertThat(run("cp", "a", "b")).isEqualTo(ExitCodes.COMMAND_SYNTAX);
    }

    @Test
    void pushSendsTheServiceImageToItsRegistry() throws Exception {
        io.jcompose.testing.Registry registry = io.jcompose.testing.Registry.shared();
        String repo = "jcompose-push-" + project;
        String image = registry.ref(repo + ":latest");
        Dockerd.shared().docker("tag", "busybox:latest", image).check();
        try {
            Files.writeString(dir.resolve("compose.yaml"), "name: " + project + "\nservices:\n  app:\n    image: " + image
                    + "\n  broken:\n    image: 127.0.0.1:1/jcompose-nowhere:latest\n    profiles: [broken]\n");
            assertThat(run("push", "app")).as(err.toString(StandardCharsets.UTF_8)).isZero();
            assertThat(registry.manifest(repo, "latest")[1]).contains("layers");
            assertThat(run("--profile", "broken", "push", "broken")).isEqualTo(ExitCodes.FAILURE);
            assertThat(run("--profile", "broken", "push", "--ignore-push-failures", "broken")).isZero();
        } finally {
            Dockerd.shared().docker("rmi", image);
        }
    }
}
