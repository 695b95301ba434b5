package io.jcompose.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jcompose.reconcile.Labels;
import io.jcompose.runtime.ContainerRuntime;
import io.jcompose.runtime.ContainerSummary;
import io.jcompose.runtime.EngineException;
import io.jcompose.runtime.ImageInfo;
import io.jcompose.runtime.docker.DockerEndpoint;
import io.jcompose.runtime.docker.DockerRuntime;
import io.jcompose.testing.EngineFixture;
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
 * {@code jcompose build} / {@code up --build} in process, against our engine (a fresh {@link EngineFixture}
 * engine) and against dockerd (classic builder, no BuildKit session): args, target, labels, extra tags,
 * dockerfile_inline, .dockerignore, the default image name, recreation of only the service whose image changed,
 * build failures (exit 17), and build secrets (ours: delivered; dockerd: a clear refusal).
 */
@Tag("integration")
class ComposeBuildIntegrationTest {
    private final String project = "jcb" + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    @TempDir
    Path dir;
    private ContainerRuntime rt;
    private Path socket;

    static final String DOCKERFILE = """
            FROM busybox AS base
            ARG VERSION=0
            ENV VERSION=$VERSION
            WORKDIR /app
            COPY . /ctx/
            RUN test ! -e /ctx/ignored.txt && cat /ctx/msg.txt > /app/msg
            FROM base AS runtime
            LABEL stage=runtime
            CMD ["sleep", "300"]
            FROM runtime AS never
            RUN echo this stage is after the target and must not run && exit 9
            """;

    static final String STACK = """
            services:
              app:
                build:
                  context: ./app
                  target: runtime
                  args: {VERSION: "7"}
                  labels: {org.example.role: app, io.jcompose.test: "true"}
                  tags: ["%1$s-extra:1"]
                labels: {io.jcompose.test: "true"}
                stop_signal: SIGKILL
              inline:
                build:
                  context: ./inline
                  dockerfile_inline: |
                    FROM busybox
                    LABEL io.jcompose.test=true
                    CMD ["sleep", "300"]
                labels: {io.jcompose.test: "true"}
                stop_signal: SIGKILL
            """;

    private void engine(String kind) throws Exception {
        socket = BothEngines.withBusybox(kind);
        rt = DockerRuntime.connect(DockerEndpoint.unix(socket), System::getenv, Path.of(System.getProperty("user.home")));
        Files.createDirectories(dir.resolve("app"));
        Files.createDirectories(dir.resolve("inline"));
        Files.writeString(dir.resolve("app/Dockerfile"), DOCKERFILE);
        Files.writeString(dir.resolve("app/msg.txt"), "one\n");
        Files.writeString(dir.resolve("app/ignored.txt"), "must not reach the engine\n");
        Files.writeString(dir.resolve("app/.dockerignore"), "# comment\nignored.txt\n");
        Files.writeString(dir.resolve("compose.yaml"), "name: " + project + "\n" + String.format(STACK, project));
    }

    @AfterEach
    void tearDown() {
        if (rt == null) return;
        run("down", "-t", "0", "-v", "--rmi", "local");
        for (ContainerSummary c : rt.containers().list(List.of(Labels.projectFilter(project)), true)) rt.containers().remove(c.id(), true, true);
        for (String image : List.of(project + "-app", project + "-inline", project + "-extra:1", project + "-broken")) {
            try {
                rt.images().remove(image, true);
            } catch (EngineException e) {
                // already gone
            }
        }
        // Images a rebuild left untagged still carry the project label.
        for (ImageInfo i : rt.images().list(List.of(Labels.projectFilter(project)))) {
            try {
                rt.images().remove(i.id(), true);
            } catch (EngineException e) {
                // already gone
            }
        }
        assertThat(rt.containers().list(List.of(Labels.projectFilter(project)), true)).as("containers left").isEmpty();
        assertThat(rt.images().list(List.of(Labels.projectFilter(project)))).as("images left").isEmpty();
        rt.close();
    }

    int run(String... args) {
        out.reset();
        err.reset();
        Map<String, String> env = new TreeMap<>(Map.of("DOCKER_HOST", "unix://" + socket, "HOME", System.getProperty("user.home"),
                "XDG_CACHE_HOME", dir.resolve("cache").toString(), "BUILD_TOKEN", "s3cr3t"));
        return JcomposeCommand.run(args, new JcomposeCommand.Context(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env::get, dir, () -> new ByteArrayInputStream(new byte[0])));
    }

    private String log() {
        return out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
    }

    private String containerId(String service) {
        return rt.containers().list(List.of(Labels.projectFilter(project), Labels.SERVICE + "=" + service), true).get(0).id();
    }

    @ParameterizedTest
    @ValueSource(strings = {"jcompose", "dockerd"})
    void buildHonoursArgsTargetLabelsTagsInlineAndDockerignore(String kind) throws Exception {
        engine(kind);
        assertThat(run("build")).as(log()).isZero();
        assertThat(log()).contains(" app Building", " app | Step 1/", " app Built", " inline Built")
                .doesNotContain("this stage is after the target");
        ImageInfo app = rt.images().inspect(project + "-app");
        assertThat(rt.images().inspect(project + "-extra:1").id()).isEqualTo(app.id());
        assertThat(app.labels()).containsEntry("org.example.role", "app").containsEntry("stage", "runtime")
                .containsEntry(Labels.PROJECT, project).containsEntry(Labels.SERVICE, "app");
        assertThat(app.env()).contains("VERSION=7");
        assertThat(rt.images().inspect(project + "-inline").labels()).containsEntry("io.jcompose.test", "true");

        // --build-arg overrides build.args; -q prints nothing.
        assertThat(run("build", "-q", "--build-arg", "VERSION=8", "app")).as(log()).isZero();
        assertThat(log()).isEmpty();
        assertThat(rt.images().inspect(project + "-app").env()).contains("VERSION=8");
    }

    @ParameterizedTest
    @ValueSource(strings = {"jcompose", "dockerd"})
    void upBuildsWhatIsMissingAndUpBuildRecreatesOnlyTheChangedService(String kind) throws Exception {
        engine(kind);
        assertThat(run("up", "-d", "--dry-run")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("build image " + project + "-app  — missing")
                .contains("create container " + project + "-app-1  (after: build image " + project + "-app");
        assertThat(run("up", "-d")).as(log()).isZero();
        String app = containerId("app");
        String inline = containerId("inline");
        assertThat(rt.containers().inspect(app).image()).isEqualTo(project + "-app");

        // Nothing changed: both rebuilt from cache to the same ids, nothing recreated.
        assertThat(run("up", "-d", "--build")).as(log()).isZero();
        assertThat(containerId("app")).isEqualTo(app);
        assertThat(containerId("inline")).isEqualTo(inline);

        // The app's context changed: only app is recreated.
        Files.writeString(dir.resolve("app/msg.txt"), "two\n");
        assertThat(run("up", "-d", "--build")).as(log()).isZero();
        assertThat(containerId("app")).isNotEqualTo(app);
        assertThat(containerId("inline")).isEqualTo(inline);
    }

    @ParameterizedTest
    @ValueSource(strings = {"jcompose", "dockerd"})
    void aFailingStepExits17AndNoBuildWithAMissingImageFails(String kind) throws Exception {
        engine(kind);
        Files.writeString(dir.resolve("compose.yaml"), "name: " + project + "\nservices:\n  broken:\n    build:\n"
                + "      context: ./app\n      dockerfile_inline: |\n        FROM busybox\n        RUN echo failing step && exit 3\n"
                + "    image: " + project + "-broken\n");
        assertThat(run("build")).as(log()).isEqualTo(ExitCodes.BUILD);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("service broken failed to build: ")
                .contains("returned a non-zero code: 3");
        assertThat(run("up", "-d", "--no-build")).isEqualTo(ExitCodes.FAILURE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("service broken: image " + project
                + "-broken does not exist and --no-build forbids building it");
        assertThat(run("up", "-d")).isEqualTo(ExitCodes.BUILD);
    }

    @ParameterizedTest
    @ValueSource(strings = {"jcompose", "dockerd"})
    void buildSecretsReachRunMountsOnOurEngineAndAreRefusedByDockerd(String kind) throws Exception {
        engine(kind);
        Files.writeString(dir.resolve("token.txt"), "from-a-file");
        Files.writeString(dir.resolve("compose.yaml"), "name: " + project + "\nservices:\n  app:\n    build:\n"
                + "      context: ./app\n      dockerfile_inline: |\n        FROM busybox\n"
                + "        RUN --mount=type=secret,id=file_token --mount=type=secret,id=env_token "
                + "test \"$(cat /run/secrets/file_token)-$(cat /run/secrets/env_token)\" = from-a-file-s3cr3t\n"
                + "      secrets: [file_token, env_token]\n"
                + "secrets:\n  file_token: {file: ./token.txt}\n  env_token: {environment: BUILD_TOKEN}\n");
        int code = run("build");
        if (kind.equals("dockerd")) {
            assertThat(code).isEqualTo(ExitCodes.BUILD);
            assertThat(err.toString(StandardCharsets.UTF_8)).contains("build secrets (env_token, file_token) need BuildKit");
        } else {
            assertThat(code).as(log()).isZero();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"jcompose", "dockerd"})
    void pushSendsABuiltServicesImageAndItsTagsToTheRegistry(String kind) throws Exception {
        engine(kind);
        io.jcompose.testing.Registry reg = io.jcompose.testing.Registry.shared();
        String repo = project + "/app";
        Files.writeString(dir.resolve("compose.yaml"), "name: " + project + "\nservices:\n  app:\n    image: " + reg.ref(repo + ":1")
                + "\n    build:\n      context: ./inline\n      tags: [\"" + reg.ref(repo + ":extra") + "\"]\n"
                + "      dockerfile_inline: |\n        FROM busybox\n        LABEL io.jcompose.test=true\n"
                + "  plain:\n    build: ./inline\n");
        Files.writeString(dir.resolve("inline/Dockerfile"), "FROM busybox\n");
        try {
            assertThat(run("build")).as(log()).isZero();
            assertThat(run("push")).as(log()).isZero();
            assertThat(err.toString(StandardCharsets.UTF_8)).contains(" plain Skipped - no image: to push to");
            assertThat(reg.manifest(repo, "1")[1]).contains("layers");
            assertThat(reg.manifest(repo, "extra")[1]).isEqualTo(reg.manifest(repo, "1")[1]);
        } finally {
            for (String t : List.of("1", "extra")) {
                try {
                    rt.images().remove(reg.ref(repo + ":" + t), true);
                } catch (EngineException e) {
                    // not built
                }
            }
        }
    }
}
