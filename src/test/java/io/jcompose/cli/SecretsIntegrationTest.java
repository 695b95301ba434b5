package io.jcompose.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jcompose.reconcile.Labels;
import io.jcompose.runtime.ContainerRuntime;
import io.jcompose.runtime.ContainerSummary;
import io.jcompose.runtime.ExecResult;
import io.jcompose.runtime.ExecSpec;
import io.jcompose.runtime.docker.DockerEndpoint;
import io.jcompose.runtime.docker.DockerRuntime;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Compose secrets and configs at run time, the same file on our engine (JcomposeFiles) and on dockerd (a read-only
 * bind for the file source, an archive copy before start for the others): content, owner and mode inside the
 * container, and a changed secret file recreating the container on the next {@code up}.
 */
@Tag("integration")
class SecretsIntegrationTest {
    private final String project = "jsec" + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    @TempDir
    Path dir;
    private ContainerRuntime rt;
    private Path socket;

    private static final String COMPOSE = """
            services:
              app:
                image: busybox
                command: ["sleep", "300"]
                stop_signal: SIGKILL
                secrets:
                  - db_password
                  - source: api_token
                    target: token
                configs:
                  - source: app_conf
                    target: /etc/app/app.conf
                    uid: "1000"
                    gid: "2000"
                    mode: 0440
                  - source: extra
                    target: /etc/app/extra.ini
                    uid: "1000"
                    mode: 0400
            secrets:
              db_password:
                file: ./secrets/db_password.txt
              api_token:
                environment: API_TOKEN
            configs:
              extra:
                file: ./conf/extra.ini
              app_conf:
                content: |
                  listen=8080
            """;

    private void engine(String kind) throws Exception {
        socket = BothEngines.withBusybox(kind);
        rt = DockerRuntime.connect(DockerEndpoint.unix(socket), System::getenv, Path.of(System.getProperty("user.home")));
        Files.createDirectories(dir.resolve("secrets"));
        Files.writeString(dir.resolve("secrets/db_password.txt"), "hunter2\n");
        Files.createDirectories(dir.resolve("conf"));
        Files.writeString(dir.resolve("conf/extra.ini"), "[extra]\n");
        Files.writeString(dir.resolve("compose.yaml"), "name: " + project + "\n" + COMPOSE);
        // The environment source may come from .env, as interpolation sees it.
        Files.writeString(dir.resolve(".env"), "API_TOKEN=tok-from-dotenv\n");
    }

    @AfterEach
    void tearDown() {
        if (rt == null) return;
        run("down", "-t", "0");
        for (ContainerSummary c : rt.containers().list(List.of(Labels.projectFilter(project)), true)) rt.containers().remove(c.id(), true, true);
        assertThat(rt.containers().list(List.of(Labels.projectFilter(project)), true)).as("containers left").isEmpty();
        rt.close();
    }

    int run(String... args) {
        out.reset();
        err.reset();
        Map<String, String> env = new TreeMap<>(Map.of("DOCKER_HOST", "unix://" + socket, "HOME", System.getProperty("user.home"),
                "XDG_CACHE_HOME", dir.resolve("cache").toString()));
        return JcomposeCommand.run(args, new JcomposeCommand.Context(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env::get, dir, () -> new ByteArrayInputStream(new byte[0])));
    }

    private String log() {
        return out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
    }

    private String containerId() {
        return rt.containers().list(List.of(Labels.projectFilter(project), Labels.SERVICE + "=app"), true).get(0).id();
    }

    private String sh(String id, String script) {
        ExecResult r = rt.containers().exec(id, ExecSpec.of("sh", "-c", script));
        assertThat(r.exitCode()).as(script + ": " + new String(r.stderr(), StandardCharsets.UTF_8)).isZero();
        return new String(r.stdout(), StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @ValueSource(strings = {"jcompose", "dockerd"})
    void fileEnvironmentAndContentSourcesReachTheContainerWithOwnerAndMode(String kind) throws Exception {
        engine(kind);
        assertThat(run("up", "-d")).as(log()).isZero();
        String id = containerId();
        assertThat(sh(id, "cat /run/secrets/db_password")).isEqualTo("hunter2\n");
        assertThat(sh(id, "cat /run/secrets/token")).isEqualTo("tok-from-dotenv");
        assertThat(sh(id, "cat /etc/app/app.conf")).isEqualTo("listen=8080\n");
        assertThat(sh(id, "stat -c '%u:%g:%a' /etc/app/app.conf")).isEqualTo("1000:2000:440\n");
        assertThat(sh(id, "stat -c '%u:%g:%a' /run/secrets/token")).isEqualTo("0:0:444\n");
        // A file source with its own owner and mode gets them on both engines (dockerd: copied, not bound).
        assertThat(sh(id, "cat /etc/app/extra.ini; stat -c '%u:%g:%a' /etc/app/extra.ini")).isEqualTo("[extra]\n1000:0:400\n");
        // Read-only for the container on both engines (ours mounts it ro; dockerd binds it ro).
        assertThat(rt.containers().exec(id, ExecSpec.of("sh", "-c", "echo x >> /run/secrets/db_password")).exitCode()).isNotZero();

        // 'run' mounts them too.
        assertThat(run("run", "--rm", "app", "cat", "/run/secrets/token", "/etc/app/app.conf")).as(log()).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("tok-from-dotenv" + "listen=8080\n");

        // Same sources: nothing recreated.
        assertThat(run("up", "-d")).as(log()).isZero();
        assertThat(containerId()).isEqualTo(id);

        // A changed secret file recreates the container, which sees the new bytes.
        Files.writeString(dir.resolve("secrets/db_password.txt"), "correct horse\n");
        assertThat(run("up", "-d")).as(log()).isZero();
        String again = containerId();
        assertThat(again).isNotEqualTo(id);
        assertThat(sh(again, "cat /run/secrets/db_password")).isEqualTo("correct horse\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"jcompose", "dockerd"})
    void anUnsetEnvironmentSourceFailsBeforeAnythingIsCreated(String kind) throws Exception {
        engine(kind);
        Files.writeString(dir.resolve(".env"), "");
        assertThat(run("up", "-d")).isNotZero();
        assertThat(log()).contains("service app: secret \"api_token\": environment variable API_TOKEN is not set");
        assertThat(rt.containers().list(List.of(Labels.projectFilter(project)), true)).isEmpty();
    }
}
