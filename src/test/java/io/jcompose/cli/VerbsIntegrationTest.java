package io.jcompose.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jcompose.reconcile.Labels;
import io.jcompose.runtime.ContainerInfo;
import io.jcompose.runtime.ContainerRuntime;
import io.jcompose.runtime.ContainerSummary;
import io.jcompose.runtime.ExecSpec;
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
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The verbs in process against the real dockerd with the harness's busybox image: life cycle (create, start
 * --wait, stop, restart, pause, unpause, kill, rm), hooks, exec and run. Every project has its own name and is
 * removed afterwards, one-off containers included.
 */
@Tag("integration")
class VerbsIntegrationTest {
    private final String project = "jcv" + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    @TempDir
    Path dir;
    private ContainerRuntime rt;
    private byte[] stdin = new byte[0];

    static final String STACK = """
            services:
              db:
                image: busybox
                command: ["sh", "-c", "touch /tmp/ready; exec sleep 300"]
                labels: {io.jcompose.test: "true"}
                stop_signal: SIGKILL
                healthcheck: {test: ["CMD", "test", "-f", "/tmp/ready"], interval: 500ms, retries: 3}
                post_start:
                  - command: ["sh", "-c", "echo started > /tmp/hook"]
              api:
                image: busybox
                command: ["sleep", "300"]
                labels: {io.jcompose.test: "true"}
                stop_signal: SIGKILL
                depends_on: {db: {condition: service_healthy}}
                pre_stop:
                  - command: ["sh", "-c", "echo stopping > /proc/1/fd/1"]
              web:
                image: busybox
                command: ["sleep", "300"]
                labels: {io.jcompose.test: "true"}
                stop_signal: SIGKILL
                environment: {GREETING: hello}
                ports: ["127.0.0.1::8080"]
                depends_on: [api]
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
        run("down", "-t", "0", "-v");
        for (ContainerSummary c : rt.containers().list(List.of(Labels.projectFilter(project)), true)) rt.containers().remove(c.id(), true, true);
        assertThat(rt.containers().list(List.of(Labels.projectFilter(project)), true)).as("containers left").isEmpty();
        rt.close();
    }

    int run(String... args) {
        out.reset();
        err.reset();
        Map<String, String> env = new TreeMap<>(Map.of("DOCKER_HOST", "unix://" + Dockerd.DEFAULT_SOCKET,
                "XDG_CACHE_HOME", dir.resolve("cache").toString(), "HOME", System.getProperty("user.home")));
        byte[] in = stdin;
        return JcomposeCommand.run(args, new JcomposeCommand.Context(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env::get, dir, () -> new ByteArrayInputStream(in)));
    }

    String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    ContainerInfo inspect(String service) {
        return rt.containers().inspect(project + "-" + service + "-1");
    }

    @Test
    void lifeCycleVerbsWithHooks() {
        assertThat(run("create", "--progress", "plain")).as(err()).isZero();
        assertThat(inspect("web").state().status()).isEqualTo("created");
        assertThat(run("start", "--wait", "--wait-timeout", "60")).as(err()).isZero();
        assertThat(inspect("db").state().health().orElseThrow().status()).isEqualTo("healthy");
        assertThat(inspect("web").state().running()).isTrue();
        assertThat(rt.containers().exec(project + "-db-1", ExecSpec.of("cat", "/tmp/hook")).stdoutText()).isEqualTo("started\n");
        assertThat(err().indexOf("Container " + project + "-db-1  Started")).isLessThan(err().indexOf("Container " + project + "-api-1  Started"));

        assertThat(run("stop", "-t", "1", "api")).as(err()).isZero();
        assertThat(inspect("api").state().running()).isFalse();
        StringBuilder log = new StringBuilder();
        try (var feed = rt.containers().logs(project + "-api-1", io.jcompose.runtime.LogOptions.ALL)) {
            feed.forEachRemaining(f -> log.append(f.text()));
        }
        assertThat(log).as("api's pre_stop hook wrote to the container's stdout").contains("stopping");
        assertThat(inspect("web").state().running()).isTrue();
        assertThat(run("start", "api")).as(err()).isZero();
        assertThat(inspect("api").state().running()).isTrue();

        var before = inspect("db").state().startedAt();
        assertThat(run("restart", "--no-deps", "-t", "0", "web")).as(err()).isZero();
        assertThat(inspect("db").state().startedAt()).isEqualTo(before);
        assertThat(run("restart", "-t", "0", "api")).as(err()).isZero();
        assertThat(inspect("db").state().startedAt()).isAfter(before);

        assertThat(run("pause", "db")).as(err()).isZero();
        assertThat(inspect("db").state().paused()).isTrue();
        assertThat(run("unpause", "db")).as(err()).isZero();
        assertThat(inspect("db").state().paused()).isFalse();

        assertThat(run("kill", "-s", "SIGKILL", "web")).as(err()).isZero();
        assertThat(inspect("web").state().exitCode()).isEqualTo(137);

        assertThat(run("rm", "-f")).as(err()).isZero();
        assertThat(out()).isEqualTo("Going to remove " + project + "-web-1\n");
        assertThat(rt.containers().list(List.of(Labels.projectFilter(project)), true)).extracting(ContainerSummary::name)
                .containsExactly(project + "-api-1", project + "-db-1");
        assertThat(run("rm", "-s", "-f", "-v", "api")).as(err()).isZero();
        assertThat(rt.containers().list(List.of(Labels.projectFilter(project)), true)).extracting(ContainerSummary::name)
                .containsExactly(project + "-db-1");
    }

    @Test
    void execPropagatesExitCodeOutputEnvUserWorkdirStdinAndDetach() {
        assertThat(run("up", "-d", "--wait", "--progress", "quiet", "db")).as(err()).isZero();
        assertThat(run("exec", "-T", "db", "sh", "-c", "echo out; echo err >&2; exit 3")).isEqualTo(3);
        assertThat(out()).isEqualTo("out\n");
        assertThat(err()).isEqualTo("err\n");
        assertThat(run("exec", "-T", "-e", "X=1", "-w", "/tmp", "-u", "12:34", "db", "sh", "-c", "echo $X; pwd; id -u; id -g")).as(err()).isZero();
        assertThat(out()).isEqualTo("1\n/tmp\n12\n34\n");
        stdin = "from stdin\n".getBytes(StandardCharsets.UTF_8);
        assertThat(run("exec", "-T", "db", "cat")).as(err()).isZero();
        assertThat(out()).isEqualTo("from stdin\n");
        stdin = new byte[0];
        assertThat(run("exec", "-d", "db", "touch", "/tmp/detached")).as(err()).isZero();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() ->
                rt.containers().exec(project + "-db-1", ExecSpec.of("test", "-f", "/tmp/detached")).exitCode() == 0);
        assertThat(run("exec", "--index", "2", "db", "true")).isEqualTo(ExitCodes.FAILURE);
        assertThat(err()).contains("service \"db\" is not running");
        assertThat(run("exec", "-T", "api", "true")).isEqualTo(ExitCodes.FAILURE);
    }

    @Test
    void runStartsDependenciesMakesOneOffContainersAndPropagatesTheExitCode() {
        assertThat(run("run", "--rm", "-T", "-e", "FOO=bar", "web", "sh", "-c", "echo $FOO $GREETING; exit 4")).as(err()).isEqualTo(4);
        assertThat(out()).isEqualTo("bar hello\n");
        assertThat(inspect("db").state().health().orElseThrow().status()).isEqualTo("healthy");
        assertThat(inspect("api").state().running()).isTrue();
        assertThat(rt.containers().list(List.of(Labels.projectFilter(project), Labels.ONEOFF + "=True"), true)).as("--rm").isEmpty();

        assertThat(run("run", "-d", "-l", "x.y=z", "-p", "127.0.0.1::9000", "-v", "/tmp:/host:ro", "--entrypoint", "sleep",
                "-w", "/host", "-u", "5", "web", "300")).as(err()).isZero();
        String name = out().strip();
        assertThat(name).matches(project + "-web-run-[0-9a-f]{12}");
        ContainerInfo c = rt.containers().inspect(name);
        assertThat(c.labels()).containsEntry(Labels.ONEOFF, "True").containsEntry(Labels.SERVICE, "web").containsEntry("x.y", "z");
        assertThat(c.state().running()).isTrue();
        assertThat(c.ports()).extracting(p -> p.containerPort()).containsExactly(9000); // not the service's 8080
        assertThat(c.mounts()).anyMatch(m -> m.destination().equals("/host") && !m.readWrite());
        assertThat(rt.containers().exec(name, ExecSpec.of("sh", "-c", "pwd; id -u")).stdoutText()).isEqualTo("/host\n5\n");

        assertThat(run("run", "--rm", "--name", project + "-named", "--service-ports", "-T", "--no-deps", "web", "true")).as(err()).isZero();
        assertThat(run("ps", "--format", "json")).isZero();
        assertThat(out()).doesNotContain(project + "-named");
    }

    @Test
    void runPassesStdinAndEndsAtItsEnd() {
        stdin = "piped\n".getBytes(StandardCharsets.UTF_8);
        assertThat(run("run", "--rm", "-T", "--no-deps", "db", "cat")).as(err()).isZero();
        assertThat(out()).isEqualTo("piped\n");
    }

    @Test
    void runNoDepsLeavesDependenciesAlone() {
        assertThat(run("run", "--rm", "-T", "--no-deps", "api", "echo", "alone")).as(err()).isZero();
        assertThat(out()).isEqualTo("alone\n");
        assertThat(rt.containers().list(List.of(Labels.projectFilter(project), Labels.SERVICE + "=db"), true)).isEmpty();
    }

    @Test
    void upRunsPostStartHooksAndDownRunsPreStopHooks() throws Exception {
        Path shared = Files.createDirectories(dir.resolve("shared"));
        Files.writeString(dir.resolve("compose.yaml"), "name: " + project + "\n" + """
                services:
                  hooked:
                    image: busybox
                    command: ["sleep", "300"]
                    labels: {io.jcompose.test: "true"}
                    stop_signal: SIGKILL
                    volumes: ["./shared:/shared"]
                    post_start:
                      - command: ["sh", "-c", "echo started >> /shared/log"]
                    pre_stop:
                      - command: ["sh", "-c", "echo stopping >> /shared/log"]
                """);
        assertThat(run("up", "-d", "--progress", "quiet")).as(err()).isZero();
        assertThat(Files.readString(shared.resolve("log"))).isEqualTo("started\n");
        assertThat(run("down", "-t", "0", "--progress", "quiet")).as(err()).isZero();
        assertThat(Files.readString(shared.resolve("log"))).isEqualTo("started\nstopping\n");
    }
}
