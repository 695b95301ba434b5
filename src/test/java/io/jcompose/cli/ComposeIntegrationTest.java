package io.jcompose.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jcompose.model.Project;
import io.jcompose.project.Binder;
import io.jcompose.project.YamlReader;
import io.jcompose.reconcile.DownOptions;
import io.jcompose.reconcile.Labels;
import io.jcompose.reconcile.Observed;
import io.jcompose.reconcile.Reconciler;
import io.jcompose.reconcile.UpOptions;
import io.jcompose.runtime.ContainerRuntime;
import io.jcompose.runtime.EngineException;
import io.jcompose.runtime.docker.DockerEndpoint;
import io.jcompose.runtime.docker.DockerRuntime;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The composer against the real dockerd: a 3-service stack gated on health, a failing dependency, scaling, and
 * Compose labels visible to the docker CLI. Everything created carries {@code io.jcompose.test=true} and a
 * per-test project name, and is removed afterwards.
 */
@Tag("integration")
class ComposeIntegrationTest {
    private static final Path SOCKET = Path.of("/var/run/docker.sock");
    private static final String IMAGE = "jcompose-test/reconcile-busybox:latest";
    private final String name = "jcit" + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
    private ContainerRuntime rt;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void engine() throws Exception {
        io.jcompose.testing.Dockerd.shared(); // reuse or start dockerd (fails under CI=true if it cannot)
        boolean present = Files.exists(SOCKET);
        String why = "dockerd socket " + SOCKET + " missing";
        if (!present && "true".equals(System.getenv("CI"))) throw new AssertionError(why);
        Assumptions.assumeTrue(present, why);
        rt = DockerRuntime.connect(DockerEndpoint.unix(SOCKET), System::getenv, Path.of(System.getProperty("user.home")));
        rt.system().ping();
        ensureImage();
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (rt == null) return;
        Project p = project(STACK);
        new Composer(rt, System.out, System.err, (a, s, d) -> { }, 4)
                .down(p, new DownOptions(true, Optional.empty(), true, Optional.of(Duration.ofSeconds(1))), false);
        assertThat(rt.containers().list(List.of(Labels.projectFilter(name)), true)).as("containers left").isEmpty();
        assertThat(rt.networks().list(List.of(Labels.projectFilter(name)))).as("networks left").isEmpty();
        rt.close();
    }

    /** Imports a busybox-static rootfs as the test image unless it is there (own tag: other suites remove theirs when done; this one is kept, labelled io.jcompose.test=true). */
    private void ensureImage() throws IOException, InterruptedException {
        try {
            rt.images().inspect(IMAGE);
            return;
        } catch (EngineException e) {
            if (!e.isNotFound()) throw e;
        }
        Path root = Files.createTempDirectory("jcompose-busybox");
        try {
            Path bin = Files.createDirectories(root.resolve("rootfs/bin"));
            Files.copy(Path.of("/bin/busybox"), bin.resolve("busybox"));
            for (String a : List.of("sh", "sleep", "true", "false", "touch", "test", "echo", "cat")) {
                Files.createSymbolicLink(bin.resolve(a), Path.of("busybox"));
            }
            Files.createDirectories(root.resolve("rootfs/tmp"));
            Process p = new ProcessBuilder("sh", "-c", "tar -C rootfs -cf image.tar . && docker import --change 'CMD [\"/bin/sh\"]' "
                    + "--change 'LABEL io.jcompose.test=true' image.tar " + IMAGE).directory(root.toFile()).inheritIO().start();
            assertThat(p.waitFor()).as("docker import").isZero();
        } finally {
            new ProcessBuilder("rm", "-rf", "--", root.toString()).start().waitFor();
        }
    }

    private static final String STACK = """
            services:
              db:
                image: %1$s
                command: ["sh", "-c", "touch /tmp/ready; exec sleep 300"]
                labels: {io.jcompose.test: "true"}
                stop_signal: SIGKILL
                healthcheck:
                  test: ["CMD", "test", "-f", "/tmp/ready"]
                  interval: 500ms
                  retries: 1
                networks: {default: null}
              api:
                image: %1$s
                command: ["sleep", "300"]
                labels: {io.jcompose.test: "true"}
                stop_signal: SIGKILL
                depends_on:
                  db: {condition: service_healthy, required: true}
                networks: {default: null}
              web:
                image: %1$s
                command: ["sleep", "300"]
                labels: {io.jcompose.test: "true"}
                stop_signal: SIGKILL
                depends_on:
                  api: {condition: service_started, required: true}
                networks: {default: null}
            networks:
              default:
                name: %2$s_default
                labels: {io.jcompose.test: "true"}
            """;

    private Project project(String template) {
        String yaml = "name: " + name + "\n" + String.format(template, IMAGE, name);
        return new Binder().bind(new YamlReader().read("compose.yaml", yaml), Path.of("/tmp"));
    }

    private Composer composer() {
        return new Composer(rt, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                new ProgressPrinter(new PrintStream(out, true, StandardCharsets.UTF_8), ProgressPrinter.Mode.PLAIN), 4);
    }

    private static String docker(String... args) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of("docker"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(String.join(" ", cmd) + ": " + text).isZero();
        return text;
    }

    /** Debian's docker-compose 1.29 finds the stack by the same labels (its file only names the services). */
    private String dockerComposePs() throws IOException, InterruptedException {
        io.jcompose.testing.Infra.requireBinary("docker-compose");
        Path dir = java.nio.file.Files.createTempDirectory("jc-dcps");
        try {
            Path file = dir.resolve("docker-compose.yml");
            java.nio.file.Files.writeString(file, "services:\n  db: {image: " + IMAGE + "}\n  api: {image: " + IMAGE + "}\n  web: {image: "
                    + IMAGE + "}\n");
            Process p = new ProcessBuilder("docker-compose", "-p", name, "-f", file.toString(), "ps").redirectErrorStream(true).start();
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor()).as("docker-compose ps: " + text).isZero();
            return text;
        } finally {
            io.jcompose.testing.TestFiles.deleteTree(dir, dir.getParent());
        }
    }

    @Test
    void upIsGatedOnHealthIsIdempotentScalesAndIsVisibleToDockerPs() throws Exception {
        Project p = project(STACK);
        assertThat(composer().up(p, UpOptions.defaults(), false, Optional.of(Duration.ofSeconds(60))))
                .as(err.toString(StandardCharsets.UTF_8)).isZero();
        String log = out.toString(StandardCharsets.UTF_8);
        assertThat(log.indexOf("Container " + name + "-db-1 Healthy")).isPositive().isLessThan(log.indexOf("Container " + name + "-api-1 Starting"));

        String ps = docker("ps", "--format", "{{.Names}} {{.Label \"com.docker.compose.service\"}}", "--filter",
                "label=com.docker.compose.project=" + name);
        assertThat(ps.lines().sorted()).as(log).containsExactly(name + "-api-1 api", name + "-db-1 db", name + "-web-1 web");
        assertThat(dockerComposePs()).contains(name + "-api-1", name + "-db-1", name + "-web-1");

        Observed again = Observed.read(rt, name);
        assertThat(Reconciler.up(p, again, UpOptions.defaults()).text()).isEqualTo("nothing to do\n");

        UpOptions scaled = UpOptions.defaults().with(b -> b.scale(Map.of("web", 2)));
        assertThat(composer().up(p, scaled, false, Optional.empty())).isZero();
        assertThat(rt.containers().inspect(name + "-web-2").labels()).containsEntry(Labels.CONTAINER_NUMBER, "2")
                .containsEntry(Labels.ONEOFF, "False").containsEntry(Labels.CONFIG_HASH,
                        io.jcompose.reconcile.ConfigHash.of(p.services().get("web"), p));
        assertThat(composer().up(p, UpOptions.defaults().with(b -> b.scale(new TreeMap<>(Map.of("web", 1)))), false, Optional.empty())).isZero();
        assertThat(rt.containers().list(List.of(Labels.projectFilter(name), Labels.SERVICE + "=web"), true)).hasSize(1);
    }

    @Test
    void unhealthyDependencyFailsTheCommandNamingIt() throws Exception {
        Project p = project(STACK.replace("[\"CMD\", \"test\", \"-f\", \"/tmp/ready\"]", "[\"CMD\", \"false\"]"));
        int code = composer().up(p, UpOptions.defaults(), false, Optional.of(Duration.ofSeconds(60)));
        assertThat(code).isEqualTo(ExitCodes.FAILURE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("dependency failed to start: container "
                + name + "-db-1 is unhealthy");
        // As docker compose: every container is created first, so the dependent is left created, not started.
        assertThat(rt.containers().list(List.of(Labels.projectFilter(name), Labels.SERVICE + "=api"), true))
                .extracting(c -> c.state()).containsExactly("created");
    }
}
