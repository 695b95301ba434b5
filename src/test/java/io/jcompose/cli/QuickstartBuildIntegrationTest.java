package io.jcompose.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jcompose.runtime.ContainerRuntime;
import io.jcompose.runtime.EngineException;
import io.jcompose.runtime.docker.DockerEndpoint;
import io.jcompose.runtime.docker.DockerRuntime;
import io.jcompose.testing.EngineFixture;
import io.jcompose.testing.Infra;
import io.jcompose.testing.TestImages;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/quickstart as quickstart.sh runs it ({@code up -d --wait} on the built-in engine), its api image built
 * from examples/quickstart/api/Dockerfile; the published port is reset so the test never clashes with a running
 * quickstart on 127.0.0.1:8080.
 */
@Tag("integration")
class QuickstartBuildIntegrationTest {
    private final String project = "jcqs" + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    @TempDir
    Path dir;

    private int run(Path socket, String... args) {
        out.reset();
        err.reset();
        Map<String, String> env = new TreeMap<>(Map.of("DOCKER_HOST", "unix://" + socket, "HOME", System.getProperty("user.home")));
        return JcomposeCommand.run(args, new JcomposeCommand.Context(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env::get, dir, () -> new ByteArrayInputStream(new byte[0])));
    }

    @Test
    void quickstartBuildsTheApiAndComesUpHealthy() throws Exception {
        Infra.requireRoot();
        Infra.require(Infra.which("runc").isPresent() && Infra.which("conmon").isPresent(), "runc and conmon");
        Path socket = EngineFixture.shared().socket();
        Path compose = Path.of(System.getProperty("jcompose.projectDir", ".")).toAbsolutePath().resolve("examples/quickstart/compose.yaml");
        Path override = dir.resolve("override.yaml");
        Files.writeString(override, "services:\n  web:\n    ports: !reset []\n");
        try (ContainerRuntime rt = DockerRuntime.connect(DockerEndpoint.unix(socket), System::getenv, Path.of(System.getProperty("user.home")))) {
            String ref = TestImages.ref("busybox");
            rt.images().pull(ref, Optional.empty(), p -> { });
            rt.images().tag(ref, "busybox:latest");
            String[] f = {"-f", compose.toString(), "-f", override.toString(), "-p", project};
            try {
                assertThat(run(socket, concat(f, "up", "-d", "--wait", "--progress", "plain"))).as(out + "\n" + err).isZero();
                assertThat(err.toString(StandardCharsets.UTF_8)).contains("Service api Built");
                var api = rt.containers().inspect(project + "-api-1");
                assertThat(api.image()).isEqualTo(project + "-api");
                assertThat(api.state().health()).as("the image's HEALTHCHECK").isPresent();
                assertThat(run(socket, concat(f, "exec", "-T", "web", "timeout", "5", "wget", "-q", "-O-", "http://api:9000/greeting")))
                        .as(err.toString(StandardCharsets.UTF_8)).isZero();
                assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("hello from the data service\n");
            } finally {
                assertThat(run(socket, concat(f, "down", "-v", "-t", "0", "--rmi", "local"))).as(err.toString(StandardCharsets.UTF_8)).isZero();
                try {
                    rt.images().inspect(project + "-api");
                    throw new AssertionError("down --rmi local left " + project + "-api");
                } catch (EngineException e) {
                    assertThat(e.isNotFound()).isTrue();
                }
            }
        }
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
