package io.jcompose.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jcompose.engine.container.DirectoryRootfsProvider;
import io.jcompose.testing.TestImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Containers on a real engine process (conmon + runc), driven by the Docker CLI and curl over its socket, with the
 * busybox look-alike unpacked into the engine's image directory. Each test removes its containers and checks that
 * no conmon, mount or cgroup of its root is left.
 */
@Tag("integration")
class ContainersIntegrationTest {
    static final ObjectMapper JSON = new ObjectMapper();
    Path root;
    EngineProcess engine;

    @BeforeEach
    void setUp() throws Exception {
        Infra.require(Infra.isRoot(), "root (runc, mounts, cgroups)");
        Infra.require(Infra.onPath("conmon") && Infra.onPath("runc") && Infra.onPath("docker") && Infra.onPath("curl"),
                "conmon, runc, docker CLI and curl");
        root = Infra.tempRoot();
        new DirectoryRootfsProvider(root.resolve("tmp-images"), root.resolve("rootfs"))
                .importLayout(TestImages.layout("busybox"), "busybox");
        engine = EngineProcess.start(root);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (engine == null) return;
        String ids = docker("ps", "-aq").out().trim();
        if (!ids.isEmpty()) {
            List<String> cmd = new ArrayList<>(List.of("rm", "-f"));
            cmd.addAll(List.of(ids.split("\\s+")));
            docker(cmd.toArray(String[]::new));
        }
        engine.close();
        String rootId = StateRoot.idOf(root.toRealPath());
        List<String> leaks = new ArrayList<>();
        if (Files.readString(Path.of("/proc/self/mountinfo")).contains(" " + root + "/")) leaks.add("mount under " + root);
        if (Files.exists(Path.of("/sys/fs/cgroup/memory/jcompose-" + rootId))) leaks.add("cgroup jcompose-" + rootId);
        ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").contains(root.toString())
                && p.info().command().orElse("").endsWith("conmon")).forEach(p -> leaks.add("conmon " + p.pid()));
        assertThat(leaks).as("leaks").isEmpty();
        Infra.deleteTempRoot(root);
    }

    Infra.Run docker(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("docker", "-H", "unix://" + engine.socket));
        cmd.addAll(List.of(args));
        return Infra.run(cmd);
    }

    JsonNode inspect(String name) throws Exception {
        Infra.Run r = Infra.run(List.of("curl", "-sS", "--unix-socket", engine.socket.toString(), "http://e/containers/" + name + "/json"));
        return JSON.readTree(r.out());
    }

    @Test
    void dockerCliLifecycle() throws Exception {
        assertThat(docker("create", "--name", "once", "busybox", "sh", "-c", "echo out; echo err >&2; exit 3").code()).isZero();
        Infra.Run start = docker("start", "-a", "once");
        assertThat(start.out()).isEqualTo("out\n");
        assertThat(start.err()).contains("err");
        assertThat(docker("wait", "once").out().trim()).isEqualTo("3");
        assertThat(docker("logs", "once").out()).isEqualTo("out\n");
        assertThat(docker("logs", "--tail", "1", "-t", "once").err()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z err\n");

        assertThat(docker("run", "-d", "--name", "svc", "--label", "tier=web", "--init", "busybox", "sleep", "300").code()).isZero();
        Infra.Run exec = docker("exec", "svc", "sh", "-c", "echo $HOSTNAME; cat /etc/hosts; exit 5");
        assertThat(exec.code()).isEqualTo(5);
        assertThat(exec.out()).contains("127.0.0.1\tlocalhost");
        // The default seccomp filter: new namespaces are refused without CAP_SYS_ADMIN.
        Infra.Run unshare = docker("exec", "svc", "unshare", "-n", "true");
        assertThat(unshare.code()).isNotZero();
        assertThat(unshare.err()).containsIgnoringCase("operation not permitted");
        assertThat(docker("exec", "svc", "sh", "-c", "echo ok").out()).isEqualTo("ok\n");
        assertThat(docker("ps", "--filter", "label=tier=web", "--format", "{{.Names}}").out().trim()).isEqualTo("svc");
        assertThat(docker("ps", "-a", "--filter", "status=exited", "--format", "{{.Names}}").out().trim()).isEqualTo("once");
        JsonNode s = inspect("svc").get("State");
        assertThat(s.get("Running").asBoolean()).isTrue();
        assertThat(s.get("Pid").asLong()).isPositive();
        Infra.Run events = docker("events", "--since", "0", "--until", String.valueOf(java.time.Instant.now().getEpochSecond() + 1),
                "--filter", "container=once", "--format", "{{.Action}}");
        assertThat(events.out().lines().toList()).containsSubsequence("create", "start", "die");
        // docker cp both ways (archive PUT, HEAD and GET).
        Path in = root.resolve("in.txt");
        Files.writeString(in, "copied in\n");
        assertThat(docker("cp", in.toString(), "svc:/tmp/").code()).isZero();
        assertThat(docker("exec", "svc", "cat", "/tmp/in.txt").out()).isEqualTo("copied in\n");
        Path outDir = Files.createDirectory(root.resolve("out"));
        Infra.Run cp = docker("cp", "svc:/etc/passwd", outDir.toString());
        assertThat(cp.code()).as(cp.err()).isZero();
        assertThat(Files.readString(outDir.resolve("passwd"))).startsWith("root:x:0:0:");
        assertThat(docker("cp", "svc:/no/such", outDir.toString()).err()).contains("Could not find the file /no/such");
        // With --init, tini forwards SIGTERM: stop is quick and the code is sleep's 143.
        assertThat(docker("stop", "svc").code()).isZero();
        assertThat(inspect("svc").get("State").get("ExitCode").asInt()).isEqualTo(143);
        assertThat(docker("rm", "svc", "once").code()).isZero();
        assertThat(docker("ps", "-aq").out()).isBlank();
        assertThat(docker("inspect", "svc").code()).isNotZero();
    }

    @Test
    void healthChecksTurnHealthyFastAndUnhealthyAfterRetries() throws Exception {
        docker("run", "-d", "--name", "ok", "--health-cmd", "test -f /tmp/ready", "--health-interval", "30s",
                "busybox", "sh", "-c", "sleep 0.3; touch /tmp/ready; exec sleep 300");
        docker("run", "-d", "--name", "bad", "--health-cmd", "exit 1", "--health-interval", "100ms", "--health-retries", "2",
                "busybox", "sleep", "300");
        // Fast first probe: healthy well before the 30 s interval.
        Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                .until(() -> inspect("ok").at("/State/Health/Status").asText().equals("healthy"));
        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> inspect("bad").at("/State/Health/Status").asText().equals("unhealthy"));
        JsonNode h = inspect("bad").at("/State/Health");
        assertThat(h.get("FailingStreak").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(h.get("Log").size()).isBetween(1, 5);
        assertThat(docker("ps", "--filter", "health=healthy", "--format", "{{.Names}}").out().trim()).isEqualTo("ok");
    }

    @Test
    void onFailureRestartsUpToTheLimit() throws Exception {
        docker("run", "-d", "--name", "flaky", "--restart", "on-failure:2", "busybox", "sh", "-c", "exit 3");
        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> {
            JsonNode j = inspect("flaky");
            return j.get("RestartCount").asInt() == 2 && j.at("/State/Status").asText().equals("exited");
        });
        assertThat(inspect("flaky").at("/State/ExitCode").asInt()).isEqualTo(3);
    }

    @Test
    void oomKillIsReported() throws Exception {
        docker("run", "-d", "--name", "hog", "-m", "16m", "busybox", "sh", "-c", "x=$(head -c 200000000 /dev/zero | tr '\\0' a); echo ${#x}");
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> inspect("hog").at("/State/Status").asText().equals("exited"));
        JsonNode s = inspect("hog").get("State");
        assertThat(s.get("ExitCode").asInt()).isEqualTo(137);
        assertThat(s.get("OOMKilled").asBoolean()).isTrue();
    }

    @Test
    void killedEngineReadoptsRunningContainerAndNoticesExitsWhileDown() throws Exception {
        docker("run", "-d", "--name", "keeps", "busybox", "sh", "-c", "echo before; trap 'exit 9' TERM; while true; do sleep 0.1; done");
        docker("run", "-d", "--name", "dies", "busybox", "sh", "-c", "sleep 1; exit 4");
        long pid = inspect("keeps").at("/State/Pid").asLong();
        engine.process.destroyForcibly(); // SIGKILL
        engine.process.waitFor();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !ProcessHandle.of(pid).isPresent()
                || Files.exists(root.resolve("exits").resolve(inspectIdOffline("dies"))));
        engine = EngineProcess.start(root);
        assertThat(ProcessHandle.of(pid)).isPresent();
        JsonNode keeps = inspect("keeps").get("State");
        assertThat(keeps.get("Running").asBoolean()).isTrue();
        assertThat(docker("exec", "keeps", "echo", "alive").out()).isEqualTo("alive\n");
        assertThat(docker("logs", "keeps").out()).isEqualTo("before\n");
        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> inspect("dies").at("/State/Status").asText().equals("exited"));
        assertThat(inspect("dies").at("/State/ExitCode").asInt()).isEqualTo(4);
        assertThat(docker("stop", "keeps").code()).isZero();
        assertThat(inspect("keeps").at("/State/ExitCode").asInt()).isEqualTo(9);
    }

    private String inspectIdOffline(String name) throws Exception {
        try (var s = Files.list(root.resolve("containers"))) {
            for (Path f : s.filter(p -> p.toString().endsWith(".json")).toList()) {
                JsonNode j = JSON.readTree(f.toFile());
                if (j.get("name").asText().equals(name)) return j.get("id").asText();
            }
        }
        return "none";
    }
}
