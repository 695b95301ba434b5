package io.jcompose.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.jcompose.model.Project;
import io.jcompose.project.Binder;
import io.jcompose.project.YamlReader;
import io.jcompose.reconcile.DownOptions;
import io.jcompose.reconcile.FakeRuntime;
import io.jcompose.reconcile.UpOptions;
import io.jcompose.runtime.EngineException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ComposerTest {
    private static final String YAML = """
            name: demo
            services:
              db:
                image: busybox
                healthcheck: {test: ["CMD", "true"]}
                networks: {default: null}
              web:
                image: busybox
                depends_on:
                  db: {condition: service_healthy, required: true}
                networks: {default: null}
            networks:
              default: {name: demo_default}
            """;
    private final FakeRuntime rt = new FakeRuntime();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private Project project() {
        return new Binder().bind(new YamlReader().read("compose.yaml", YAML), Path.of("/srv/demo"));
    }

    private Composer composer() {
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        return new Composer(rt, o, new PrintStream(err, true, StandardCharsets.UTF_8),
                new ProgressPrinter(o, ProgressPrinter.Mode.PLAIN), 2);
    }

    @Test
    void dryRunPrintsThePlanAndMakesNoMutatingCall() throws Exception {
        int code = composer().up(project(), UpOptions.defaults(), true, Optional.empty());
        assertThat(code).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("create network demo_default  — missing\n")
                .contains("await db healthy  (after: create container demo-web-1, start container demo-db-1)");
        assertThat(rt.calls).isNotEmpty();
        assertThat(rt.mutatingCalls()).isEmpty();

        int down = composer().down(project(), DownOptions.defaults(), true);
        assertThat(down).isZero();
        assertThat(rt.mutatingCalls()).isEmpty();
    }

    @Test
    void upThenPsThenDown() throws Exception {
        assertThat(composer().up(project(), UpOptions.defaults(), false, Optional.of(Duration.ofSeconds(5)))).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("Container demo-web-1 Started");
        out.reset();
        composer().ps("demo", List.of(), false, false, false, "table");
        assertThat(out.toString(StandardCharsets.UTF_8).lines()).containsExactly(
                "NAME         IMAGE     SERVICE   STATUS", "demo-db-1    busybox   db        running",
                "demo-web-1   busybox   web       running");
        out.reset();
        composer().ps("demo", List.of(), false, false, true, "table");
        assertThat(out.toString(StandardCharsets.UTF_8).lines()).containsExactly("db", "web");
        out.reset();
        composer().logs("demo", List.of("web"), false, -1, false);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("demo-web-1  | hello from " + rt.containers.get("demo-web-1").id + "\n");
        assertThat(composer().down(project(), DownOptions.defaults(), false)).isZero();
        assertThat(rt.containers).isEmpty();
        assertThat(rt.networks).isEmpty();
    }

    @Test
    void failingDependencyExitsOneNamingIt() throws Exception {
        rt.healthOnStart.put("demo-db-1", "unhealthy");
        int code = composer().up(project(), UpOptions.defaults(), false, Optional.empty());
        assertThat(code).isEqualTo(ExitCodes.FAILURE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains(
                "jcompose: await db healthy: dependency failed to start: container demo-db-1 is unhealthy");
        // As docker compose: every container is created first, so the dependent is left created, not started.
        assertThat(rt.containers.get("demo-web-1").status).isEqualTo("created");
    }

    @Test
    void runtimeSelectionListsEveryAttempt() {
        Map<String, String> env = Map.of("XDG_RUNTIME_DIR", "/run/user/0");
        RuntimeSelector s = new RuntimeSelector(env::get, e -> {
            throw new EngineException(EngineException.Category.UNAVAILABLE, "connection refused");
        }, p -> p.toString().equals("/var/run/docker.sock"));
        CliException e = catchThrowableOfType(() -> s.select(null), CliException.class);
        assertThat(e.exitCode()).isEqualTo(1);
        assertThat(e.getMessage()).isEqualTo("cannot reach an engine: DOCKER_HOST: not set; "
                + "/run/jcompose/engine.sock: no such socket; "
                + "/var/run/docker.sock: connection refused; /run/user/0/podman/podman.sock: no such socket; "
                + "/run/podman/podman.sock: no such socket");
    }

    @Test
    void anUnreachableDockerHostIsTheAnswerNotAFallback() {
        RuntimeSelector s = new RuntimeSelector(Map.of("DOCKER_HOST", "unix:///nowhere.sock")::get, e -> {
            throw new EngineException(EngineException.Category.UNAVAILABLE, "connection refused");
        }, p -> true);
        assertThat(catchThrowableOfType(() -> s.select(null), CliException.class).getMessage()).isEqualTo(
                "cannot reach an engine: DOCKER_HOST=unix:///nowhere.sock: connection refused (unset DOCKER_HOST to try the default sockets)");
    }

    @Test
    void runtimeSelectionPrefersTheBuiltInEngineWhenItAnswers() {
        List<String> tried = new ArrayList<>();
        Set<String> present = Set.of("/var/run/docker.sock", "/run/jcompose/engine.sock");
        RuntimeSelector s = new RuntimeSelector(Map.<String, String>of()::get, e -> {
            tried.add(e.host());
            return rt;
        }, p -> present.contains(p.toString()));
        RuntimeSelector.Selection sel = s.select("auto");
        assertThat(tried).containsExactly("unix:///run/jcompose/engine.sock");
        assertThat(sel.note()).isEmpty();
        assertThat(s.select("docker").runtime()).isSameAs(rt);
        assertThat(tried).endsWith("unix:///var/run/docker.sock");
        assertThat(s.select("builtin").runtime()).isSameAs(rt);
        assertThat(tried).endsWith("unix:///run/jcompose/engine.sock");
        assertThat(catchThrowableOfType(() -> s.select("kubernetes"), CliException.class).exitCode()).isEqualTo(ExitCodes.COMMAND_SYNTAX);
    }

    @Test
    void secondLockHolderWaitsThenFailsClearly(@TempDir Path dir) {
        ByteArrayOutputStream waitMsg = new ByteArrayOutputStream();
        try (ProjectLock first = ProjectLock.acquire(dir, "demo", Duration.ofSeconds(1), System.err)) {
            CliException e = catchThrowableOfType(() -> ProjectLock.acquire(dir, "demo", Duration.ofMillis(300),
                    new PrintStream(waitMsg, true, StandardCharsets.UTF_8)), CliException.class);
            assertThat(waitMsg.toString(StandardCharsets.UTF_8)).startsWith("waiting for another jcompose on project demo (pid "
                    + ProcessHandle.current().pid() + ")");
            assertThat(e.getMessage()).startsWith("project demo is still locked by another jcompose");
        }
        try (ProjectLock again = ProjectLock.acquire(dir, "demo", Duration.ofMillis(300), System.err)) {
            assertThat(again).as("released on close").isNotNull();
        }
    }
}
