package io.jcompose.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jcompose.reconcile.Labels;
import io.jcompose.runtime.ContainerRuntime;
import io.jcompose.runtime.EngineException;
import io.jcompose.runtime.ImageInfo;
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
 * {@code build.additional_contexts} through {@code jcompose build}: on our engine a directory context and a
 * {@code docker-image://} context reach {@code FROM}, {@code COPY --from} and {@code RUN --mount=from=} (the
 * Dockerfile's RUN steps check what arrived, so a wrong file fails the build); dockerd's classic builder cannot
 * take them, so jcompose refuses before sending anything.
 */
@Tag("integration")
class AdditionalContextsIntegrationTest {
    private final String project = "jac" + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    @TempDir
    Path dir;
    private ContainerRuntime rt;
    private Path socket;

    static final String COMPOSE = """
            services:
              app:
                build:
                  context: ./app
                  additional_contexts:
                    extra: ./extra
                    base: docker-image://busybox
                  dockerfile_inline: |
                    FROM base
                    COPY --from=extra e.txt /from-extra/
                    COPY --from=base /bin/busybox /from-base/busybox
                    COPY . /ctx/
                    RUN test "$(cat /from-extra/e.txt)" = extra-file && test -x /from-base/busybox \\
                        && test -f /ctx/main.txt && test ! -e /ctx/.jcompose && test ! -e /from-extra/skip.log
                    RUN --mount=type=bind,from=extra,target=/mnt test "$(cat /mnt/sub/s.txt)" = sub-file
                    LABEL io.jcompose.test=true
            """;

    private void engine(String kind) throws Exception {
        socket = BothEngines.withBusybox(kind);
        rt = DockerRuntime.connect(DockerEndpoint.unix(socket), System::getenv, Path.of(System.getProperty("user.home")));
        Files.createDirectories(dir.resolve("app"));
        Files.writeString(dir.resolve("app/main.txt"), "main\n");
        Files.createDirectories(dir.resolve("extra/sub"));
        Files.writeString(dir.resolve("extra/e.txt"), "extra-file");
        Files.writeString(dir.resolve("extra/sub/s.txt"), "sub-file");
        Files.writeString(dir.resolve("extra/skip.log"), "excluded by extra's own .dockerignore");
        Files.writeString(dir.resolve("extra/.dockerignore"), "*.log\n");
        Files.writeString(dir.resolve("compose.yaml"), "name: " + project + "\n" + COMPOSE);
    }

    @AfterEach
    void tearDown() {
        if (rt == null) return;
        for (ImageInfo i : rt.images().list(List.of(Labels.projectFilter(project)))) {
            try {
                rt.images().remove(i.id(), true);
            } catch (EngineException e) {
                // already gone
            }
        }
        assertThat(rt.images().list(List.of(Labels.projectFilter(project)))).as("images left").isEmpty();
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

    @ParameterizedTest
    @ValueSource(strings = {"jcompose", "dockerd"})
    void directoryAndImageContextsOnOurEngineAndARefusalOnDockerd(String kind) throws Exception {
        engine(kind);
        int code = run("build");
        if (kind.equals("dockerd")) {
            assertThat(code).as(log()).isEqualTo(ExitCodes.BUILD);
            assertThat(err.toString(StandardCharsets.UTF_8))
                    .contains("build.additional_contexts (base, extra) need BuildKit or the jcompose engine");
            return;
        }
        assertThat(code).as(log()).isZero();
        ImageInfo app = rt.images().inspect(project + "-app");
        assertThat(app.labels()).containsEntry("io.jcompose.test", "true").containsEntry(Labels.SERVICE, "app");
        // An unchanged rebuild hits the cache for every step: the named contexts' content is part of the keys.
        assertThat(run("build")).as(log()).isZero();
        assertThat(rt.images().inspect(project + "-app").id()).isEqualTo(app.id());
        // A changed file in the directory context changes the image.
        Files.writeString(dir.resolve("extra/sub/s.txt"), "other");
        assertThat(run("build")).as(log()).isEqualTo(ExitCodes.BUILD);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("returned a non-zero code: 1");
    }
}
