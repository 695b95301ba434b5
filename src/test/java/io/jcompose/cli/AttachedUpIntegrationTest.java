package io.jcompose.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jcompose.model.Project;
import io.jcompose.project.Binder;
import io.jcompose.project.YamlReader;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code up} attached mode against dockerd: prefixes, exit rules, --abort-on-container-exit/-failure, --exit-code-from, Ctrl-C. */
@Tag("integration")
class AttachedUpIntegrationTest {
    private final String project = "jca" + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
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
                stop_signal: SIGTERM
                stop_grace_period: 30s
              job:
                image: busybox
                command: ["sh", "-c", "echo working; sleep 1; echo done; exit 5"]
                labels: {io.jcompose.test: "true"}
                depends_on: [db]
              ok:
                image: busybox
                command: ["sh", "-c", "sleep 1; echo fine"]
                labels: {io.jcompose.test: "true"}
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

    String state(String service) {
        return rt.containers().inspect(project + "-" + service + "-1").state().status();
    }

    @Test
    void allAttachedContainersExitingEndsUpWithZeroAndOthersKeepRunning() {
        assertThat(run("up", "--progress", "quiet", "--no-attach", "db", "job", "ok")).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(out()).contains("job-1  | working\n", "job-1  | done\n", "ok-1   | fine\n", "job-1 exited with code 5\n", "ok-1 exited with code 0\n")
                .doesNotContain("db up");
        assertThat(out().indexOf("job-1  | working")).isLessThan(out().indexOf("job-1  | done"));
        assertThat(state("db")).isEqualTo("running");
        // Again: nothing to recreate, the exited containers start again; their earlier output is not repeated.
        assertThat(run("up", "--progress", "quiet", "--no-attach", "db", "job")).isZero();
        assertThat(out().split("job-1  \\| working", -1)).hasSize(2);
    }

    @Test
    void abortOnContainerExitStopsEverythingWithTheExitCodeOfTheFirstToExit() {
        assertThat(run("up", "--progress", "quiet", "-t", "1", "--abort-on-container-exit", "--no-log-prefix", "db", "job")).isEqualTo(5);
        assertThat(out()).contains("db up\n", "working\n", "done\n").doesNotContain(" | ");
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("Aborting on container exit...");
        assertThat(state("db")).isEqualTo("exited");
    }

    @Test
    void exitCodeFromTakesThatServicesCodeAndFailureOnlyAbortsOnNonZero() {
        assertThat(run("up", "--progress", "quiet", "-t", "1", "--exit-code-from", "ok", "ok", "db")).isZero();
        assertThat(state("db")).isEqualTo("exited");
        assertThat(run("up", "--progress", "quiet", "-t", "1", "--abort-on-container-failure", "ok", "db", "job")).isEqualTo(5);
        assertThat(out()).contains("ok-1 exited with code 0");
        assertThat(state("db")).isEqualTo("exited");
        assertThat(run("up", "-d", "--abort-on-container-exit")).isEqualTo(ExitCodes.COMMAND_SYNTAX);
    }

    @Test
    void ctrlCStopsGracefullyAndASecondOneKills() throws Exception {
        assertThat(run("up", "-d", "--progress", "quiet", "db")).isZero();
        Project p = new Binder().bind(new YamlReader().read("compose.yaml", "name: " + project + "\n" + STACK), dir);
        AttachedMode mode = new AttachedMode(rt, p, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                new AttachedMode.Options(true, false, false, AttachedMode.Cascade.NONE, Optional.empty(), Optional.empty(), null));
        List<ContainerSummary> db = rt.containers().list(List.of(Labels.projectFilter(project), Labels.SERVICE + "=db"), true);
        CompletableFuture<Integer> code = CompletableFuture.supplyAsync(() -> {
            try {
                return mode.run(db, List.of("db"));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> out().contains("db-1  | db up"));
        // db ignores SIGTERM (sh as PID 1 without a handler) and has a 30 s grace period: only the second Ctrl-C ends it fast.
        mode.signals.add(new AttachedMode.Interrupt());
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> err.toString(StandardCharsets.UTF_8).contains("Gracefully stopping"));
        assertThat(code).isNotDone();
        mode.signals.add(new AttachedMode.Interrupt());
        assertThat(code.get(20, TimeUnit.SECONDS)).isEqualTo(ExitCodes.CANCELLED);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> state("db").equals("exited"));
    }
}
