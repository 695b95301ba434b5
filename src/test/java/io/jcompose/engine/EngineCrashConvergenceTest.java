package io.jcompose.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jcompose.testing.LeakChecker;
import io.jcompose.testing.TimeBudget;
import io.jcompose.testing.UnixHttp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The engine is SIGKILLed at 20 seeded random points while it creates and starts 10 containers, and restarted each
 * time (one state root throughout, so every restart also recovers what earlier rounds left): each container must
 * be absent or fully usable (starts if only created, logs, exec, stop with its exit code), a container whose start
 * had been answered before the kill must still run with its log, and once all are removed the leak checker must
 * find nothing of this engine's (mounts, namespaces, cgroups, conmon/runc processes, the engine itself).
 * {@code -Djcompose.crashPoints=N} changes the number of points.
 */
@Tag("integration")
@TimeBudget(seconds = 300)
class EngineCrashConvergenceTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String SCRIPT = "echo ready; trap 'exit 9' TERM; while true; do sleep 0.1; done";
    static final int CONTAINERS = 10;

    // In-process requests (no curl processes: a round makes ~100 requests on a loaded 2-CPU machine). A request
    // to a killed engine fails at once (the kernel closes its sockets); hangs are bounded by the futures' timeouts.
    static UnixHttp.Response get(Path socket, String path) throws Exception {
        return UnixHttp.get(socket, path);
    }

    static UnixHttp.Response post(Path socket, String path, String json) throws Exception {
        return UnixHttp.post(socket, path, json);
    }

    @Test
    void killedAtRandomPointsConverges() throws Exception {
        Infra.require(Infra.isRoot(), "root");
        Infra.require(Infra.onPath("conmon") && Infra.onPath("runc") && Infra.onPath("docker"), "conmon, runc, docker CLI");
        int points = Integer.getInteger("jcompose.crashPoints", 20);
        Set<LeakChecker.Leak> before = LeakChecker.snapshot();
        Path root = Infra.tempRoot();
        EngineProcess engine = EngineProcess.start(root);
        ExecutorService pool = Executors.newFixedThreadPool(CONTAINERS);
        int usable = 0;
        try {
            ContainersIntegrationTest.Target.pullBusybox(engine.socket);
            for (int seed = 0; seed < points; seed++) {
                long t0 = System.nanoTime();
                Round r = round(engine, seed);
                engine = r.engine;
                usable += check(engine, seed, r, pool);
                System.out.printf("crash point %d: killed %d ms after the first create, %d started before; round %d ms%n",
                        seed, r.killAfter, r.started.size(), (System.nanoTime() - t0) / 1_000_000);
            }
        } finally {
            pool.shutdownNow();
            engine.close();
        }
        System.out.printf("%d crash points: %d of %d containers were usable after the restarts%n", points, usable, points * CONTAINERS);
        String rootId = StateRoot.idOf(root.toRealPath());
        List<LeakChecker.Leak> leaks = LeakChecker.leaks(before, LeakChecker.snapshot()).stream()
                .filter(l -> ours(l, root, rootId)).toList();
        assertThat(leaks).as("leaks of this engine").isEmpty();
        try (var s = Files.list(root.resolve("runc"))) {
            assertThat(s.toList()).as("runtime state left").isEmpty();
        }
        Infra.deleteTempRoot(root);
    }

    /**
     * Other helpers' engines run on this host at the same time: only what names this engine's root (paths, the
     * root's short id in namespace and cgroup names, a conmon/runc/engine command line) is this test's.
     */
    static boolean ours(LeakChecker.Leak l, Path root, String rootId) {
        if (l.id().contains(root.toString()) || l.id().contains(rootId)) return true;
        if (!l.kind().equals("process")) return false;
        String pid = l.id().substring(l.id().lastIndexOf(' ') + 1);
        try {
            return Files.readString(Path.of("/proc", pid, "cmdline")).contains(root.toString());
        } catch (java.io.IOException e) {
            return false; // gone meanwhile
        }
    }

    record Round(EngineProcess engine, long killAfter, Set<String> started) {}

    /** Creates and starts 10 containers, SIGKILLs the engine at a seeded point, and starts a new engine on the root. */
    Round round(EngineProcess engine, int seed) throws Exception {
        long killAfter = new Random(seed).nextInt(2000);
        Path sock = engine.socket;
        Set<String> started = ConcurrentHashMap.newKeySet();
        CountDownLatch firstCreated = new CountDownLatch(1);
        Thread client = new Thread(() -> {
            for (int i = 0; i < CONTAINERS; i++) {
                String name = name(seed, i);
                try {
                    post(sock, "/containers/create?name=" + name, "{\"Image\":\"busybox\",\"Cmd\":[\"sh\",\"-c\",\"" + SCRIPT + "\"]}");
                    firstCreated.countDown();
                    if (post(sock, "/containers/" + name + "/start", null).status() == 204) started.add(name);
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
        return new Round(EngineProcess.start(engine.root), killAfter, Set.copyOf(started));
    }

    static String name(int seed, int i) {
        return "p" + seed + "c" + i;
    }

    /** Every container of the round, in parallel: absent or fully usable; then removed. Returns how many were usable. */
    int check(EngineProcess engine, int seed, Round r, ExecutorService pool) throws Exception {
        List<Future<Boolean>> results = new ArrayList<>();
        for (int i = 0; i < CONTAINERS; i++) {
            String name = name(seed, i);
            results.add(pool.submit(() -> usable(engine.socket, name, r.started.contains(name), seed)));
        }
        int usable = 0;
        for (Future<Boolean> f : results) if (f.get(120, java.util.concurrent.TimeUnit.SECONDS)) usable++;
        assertThat(usable).as("seed %d: every container whose start was answered is usable", seed).isGreaterThanOrEqualTo(r.started.size());
        return usable;
    }

    static boolean usable(Path socket, String name, boolean startedBeforeKill, int seed) throws Exception {
        try {
            UnixHttp.Response r = get(socket, "/containers/" + name + "/json");
            if (r.status() == 404) {
                assertThat(startedBeforeKill).as("seed %d %s: started before the kill, gone after it", seed, name).isFalse();
                return false;
            }
            assertThat(r.status()).as("seed %d %s inspect: %s", seed, name, r.body()).isEqualTo(200);
            JsonNode state = JSON.readTree(r.body()).get("State");
            if (startedBeforeKill) {
                assertThat(state.get("Running").asBoolean()).as("seed %d %s kept running (was %s)", seed, name, state.get("Status").asText()).isTrue();
                assertThat(logs(socket, name)).as("seed %d %s kept its log", seed, name).contains("ready");
            } else if (!state.get("Running").asBoolean()) {
                assertThat(post(socket, "/containers/" + name + "/start", null).status())
                        .as("seed %d %s start (was %s)", seed, name, state.get("Status").asText()).isIn(204, 304);
            }
            Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                    .until(() -> logs(socket, name).contains("ready"));
            String execId = JSON.readTree(post(socket, "/containers/" + name + "/exec",
                    "{\"Cmd\":[\"echo\",\"alive\"],\"AttachStdout\":true}").body()).get("Id").asText();
            assertThat(post(socket, "/exec/" + execId + "/start", "{}").body()).as("seed %d %s exec output", seed, name).contains("alive");
            JsonNode ex = JSON.readTree(get(socket, "/exec/" + execId + "/json").body());
            assertThat(ex.get("ExitCode").asInt()).as("seed %d %s exec", seed, name).isZero();
            assertThat(post(socket, "/containers/" + name + "/stop?t=5", null).status()).as("seed %d %s stop", seed, name).isEqualTo(204);
            JsonNode after = JSON.readTree(get(socket, "/containers/" + name + "/json").body()).get("State");
            assertThat(after.get("ExitCode").asInt()).as("seed %d %s exit code", seed, name).isEqualTo(9);
            assertThat(UnixHttp.delete(socket, "/containers/" + name).status()).isEqualTo(204);
            return true;
        } finally {
            UnixHttp.delete(socket, "/containers/" + name + "?force=1");
        }
    }

    static String logs(Path socket, String name) throws Exception {
        return get(socket, "/containers/" + name + "/logs?stdout=1&stderr=1").body();
    }
}
