package io.jcompose.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jcompose.testing.TestImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The engine is SIGKILLed at seeded random points while it creates and starts 10 containers, then restarted: each
 * container must be absent or fully usable (starts if only created, logs, exec, stop with its exit code), and no
 * conmon, mount, runtime state or cgroup may be left once they are removed. {@code -Djcompose.crashPoints=20} for
 * the full run; 4 by default to fit the suite's time budget.
 */
@Tag("integration")
class EngineCrashConvergenceTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String SCRIPT = "echo ready; trap 'exit 9' TERM; while true; do sleep 0.1; done";

    static Infra.Run curl(Path socket, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "--max-time", "30", "--unix-socket", socket.toString()));
        cmd.addAll(List.of(args));
        return Infra.run(cmd);
    }

    @Test
    void killedAtRandomPointsConverges() throws Exception {
        Infra.require(Infra.isRoot(), "root");
        Infra.require(Infra.onPath("conmon") && Infra.onPath("runc") && Infra.onPath("curl"), "conmon, runc, curl");
        int points = Integer.getInteger("jcompose.crashPoints", 4);
        for (int seed = 0; seed < points; seed++) {
            run(seed);
        }
    }

    void run(int seed) throws Exception {
        Path root = Infra.tempRoot();
        EngineProcess engine = EngineProcess.start(root);
        ContainersIntegrationTest.Target.pullBusybox(engine.socket);
        Random random = new Random(seed);
        long killAfter = random.nextInt(1500);
        Path sock = engine.socket;
        java.util.concurrent.CountDownLatch firstCreated = new java.util.concurrent.CountDownLatch(1);
        Thread client = new Thread(() -> {
            for (int i = 0; i < 10; i++) {
                try {
                    curl(sock, "-XPOST", "-H", "Content-Type: application/json", "-d",
                            "{\"Image\":\"busybox\",\"Cmd\":[\"sh\",\"-c\",\"" + SCRIPT + "\"]}", "http://e/containers/create?name=c" + i);
                    firstCreated.countDown();
                    curl(sock, "-XPOST", "http://e/containers/c" + i + "/start");
                } catch (Exception e) {
                    firstCreated.countDown();
                    return;
                }
            }
        });
        client.start();
        // Kill points are counted from the first create (the engine's first request pays JIT and jnr loading).
        firstCreated.await();
        Thread.sleep(killAfter); // the seeded kill point itself, not a wait for a state
        engine.process.destroyForcibly();
        engine.process.waitFor();
        client.join();
        engine.close();

        engine = EngineProcess.start(root);
        int usable = 0;
        try {
            for (int i = 0; i < 10; i++) {
                Infra.Run r = curl(engine.socket, "-w", "\n%{http_code}", "http://e/containers/c" + i + "/json");
                String code = r.out().substring(r.out().lastIndexOf('\n') + 1);
                if (code.equals("404")) continue;
                assertThat(code).as("seed %d c%d inspect", seed, i).isEqualTo("200");
                JsonNode state = JSON.readTree(r.out().substring(0, r.out().lastIndexOf('\n'))).get("State");
                if (!state.get("Running").asBoolean()) {
                    assertThat(curl(engine.socket, "-XPOST", "-w", "%{http_code}", "http://e/containers/c" + i + "/start").out())
                            .as("seed %d c%d start (was %s)", seed, i, state.get("Status").asText()).isIn("204", "304");
                }
                String name = "c" + i;
                org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() ->
                        logs(root, name).contains("ready"));
                String execId = JSON.readTree(curl(engine.socket, "-XPOST", "-H", "Content-Type: application/json", "-d",
                        "{\"Cmd\":[\"echo\",\"alive\"],\"AttachStdout\":true}", "http://e/containers/c" + i + "/exec").out()).get("Id").asText();
                curl(engine.socket, "-XPOST", "-H", "Content-Type: application/json", "-d", "{}", "http://e/exec/" + execId + "/start");
                JsonNode ex = JSON.readTree(curl(engine.socket, "http://e/exec/" + execId + "/json").out());
                assertThat(ex.get("ExitCode").asInt()).as("seed %d c%d exec", seed, i).isZero();
                assertThat(curl(engine.socket, "-XPOST", "-w", "%{http_code}", "http://e/containers/c" + i + "/stop?t=5").out()).isEqualTo("204");
                JsonNode after = JSON.readTree(curl(engine.socket, "http://e/containers/c" + i + "/json").out()).get("State");
                assertThat(after.get("ExitCode").asInt()).as("seed %d c%d exit code", seed, i).isEqualTo(9);
                assertThat(curl(engine.socket, "-XDELETE", "-w", "%{http_code}", "http://e/containers/c" + i).out()).isEqualTo("204");
                usable++;
            }
        } finally {
            for (int i = 0; i < 10; i++) curl(engine.socket, "-XDELETE", "http://e/containers/c" + i + "?force=1");
            engine.close();
        }
        System.out.printf("crash point seed %d %d ms after the first create: %d containers usable after restart%n", seed, killAfter, usable);
        String rootId = StateRoot.idOf(root.toRealPath());
        assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).doesNotContain(" " + root + "/");
        assertThat(Path.of("/sys/fs/cgroup/memory/jcompose-" + rootId)).doesNotExist();
        try (var s = Files.list(root.resolve("runc"))) {
            assertThat(s.toList()).as("runtime state left").isEmpty();
        }
        assertThat(ProcessHandle.allProcesses().filter(p -> p.info().command().orElse("").endsWith("conmon")
                && p.info().commandLine().orElse("").contains(root.toString())).toList()).isEmpty();
        Infra.deleteTempRoot(root);
    }

    static String logs(Path root, String name) throws Exception {
        try (var s = Files.list(root.resolve("containers"))) {
            for (Path f : s.filter(p -> p.toString().endsWith(".json")).toList()) {
                JsonNode j = JSON.readTree(f.toFile());
                if (j.get("name").asText().equals(name)) {
                    Path log = root.resolve("containers").resolve(j.get("id").asText()).resolve("ctr.log");
                    return Files.exists(log) ? Files.readString(log) : "";
                }
            }
        }
        return "";
    }
}
