package io.jcompose.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jcompose.testing.Dockerd;
import io.jcompose.testing.Infra;
import io.jcompose.testing.TestImages;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Smoke test against Podman 4.3's Docker-compatible API ({@code podman system service}), started here on a short
 * private socket with its own storage root (vfs: no mounts to leak) and stopped by PID afterwards.
 * {@code up --wait}, {@code ps}, {@code logs}, {@code down} on a 3-service stack with the harness's busybox
 * (saved from dockerd, loaded into podman).
 *
 * <p>What this host needs, found by running it: runc (crun refuses the hybrid cgroups), cgroupfs (no systemd), and
 * default ulimits no higher than the service's own (no CAP_SYS_RESOURCE here: podman's default nofile/nproc would
 * make runc's setrlimit fail with EPERM). Health checks do not run under Podman without systemd (it schedules them
 * with systemd timers): a {@code service_healthy} dependency never becomes healthy, so this stack gates on
 * {@code service_started}.
 */
@Tag("integration")
class PodmanSmokeIntegrationTest {
    private Path root;
    private Process service;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private Path project;

    static final String STACK = """
            name: jcpodman
            services:
              db:
                image: busybox
                command: ["sh", "-c", "echo db up; exec sleep 300"]
              api:
                image: busybox
                command: ["sh", "-c", "echo api up; exec sleep 300"]
                depends_on: {db: {condition: service_started}}
              web:
                image: busybox
                command: ["sh", "-c", "echo web up; exec sleep 300"]
                depends_on: [api]
            """;

    private List<String> podman(String... args) {
        List<String> cmd = new ArrayList<>(List.of("podman", "--root", root.resolve("storage").toString(), "--runroot",
                root.resolve("run").toString(), "--storage-driver", "vfs", "--runtime", "runc", "--cgroup-manager", "cgroupfs",
                "--events-backend", "file", "--tmpdir", root.resolve("tmp").toString()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private String exec(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(String.join(" ", cmd) + ": " + text).isZero();
        return text;
    }

    @BeforeEach
    void startPodman() throws Exception {
        Infra.requireRoot();
        Infra.requireBinary("podman");
        Infra.requireBinary("runc");
        Dockerd.shared();
        TestImages.pullIntoDockerd("busybox");
        root = Files.createTempDirectory(Path.of("/tmp"), "jcp");
        project = Files.createDirectories(root.resolve("project"));
        Files.writeString(project.resolve("compose.yaml"), STACK);
        exec(List.of("sh", "-c", "docker save busybox:latest -o " + root.resolve("busybox.tar")));
        exec(podman("load", "-i", root.resolve("busybox.tar").toString()));
        exec(podman("tag", "localhost/busybox:latest", "docker.io/library/busybox:latest"));
        // Podman sets its own limits at start (not ours): a first start tells them, the second runs with them as
        // the containers' defaults — without CAP_SYS_RESOURCE runc cannot go higher.
        Files.writeString(root.resolve("containers.conf"), "");
        startService();
        long nofile = limit(service.pid(), "Max open files");
        long nproc = limit(service.pid(), "Max processes");
        stopService();
        Files.writeString(root.resolve("containers.conf"), "[containers]\ndefault_ulimits = [\"nofile=" + nofile + ":" + nofile
                + "\", \"nproc=" + nproc + ":" + nproc + "\"]\n");
        startService();
    }

    private void startService() throws IOException {
        Files.deleteIfExists(root.resolve("podman.sock"));
        ProcessBuilder pb = new ProcessBuilder(podman("system", "service", "--time=0", "unix://" + root.resolve("podman.sock")))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(root.resolve("service.log").toFile()));
        pb.environment().put("CONTAINERS_CONF", root.resolve("containers.conf").toString());
        service = pb.start();
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(root.resolve("podman.sock")));
    }

    private void stopService() throws InterruptedException {
        service.destroy();
        if (!service.waitFor(20, TimeUnit.SECONDS)) service.destroyForcibly().waitFor();
    }

    /** A process's hard limit. */
    private static long limit(long pid, String name) throws IOException {
        for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/limits"))) {
            if (l.startsWith(name)) {
                String[] f = l.substring(name.length()).trim().split("\\s+");
                return f[1].equals("unlimited") ? 1_048_576 : Long.parseLong(f[1]);
            }
        }
        return 1024;
    }

    @AfterEach
    void stopPodman() throws Exception {
        if (root == null) return;
        try {
            if (service != null) {
                run("down", "-t", "0");
                stopService();
            }
            new ProcessBuilder(podman("rm", "-f", "-a")).start().waitFor();
        } finally {
            // root came from createTempDirectory under /tmp: never empty, never anything else.
            new ProcessBuilder("rm", "-rf", "--", root.toString()).start().waitFor();
        }
    }

    int run(String... args) {
        out.reset();
        err.reset();
        Map<String, String> env = new TreeMap<>(Map.of("DOCKER_HOST", "unix://" + root.resolve("podman.sock"),
                "XDG_CACHE_HOME", root.resolve("cache").toString(), "HOME", System.getProperty("user.home")));
        return JcomposeCommand.run(args, new JcomposeCommand.Context(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env::get, project, () -> new ByteArrayInputStream(new byte[0])));
    }

    @Test
    void upWaitPsLogsDownOnPodman() throws Exception {
        assertThat(run("up", "--wait", "--wait-timeout", "60", "--progress", "plain")).as(out + "\n" + err).isZero();
        assertThat(run("ps", "--format", "json")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8).lines()).hasSize(3).allMatch(l -> l.contains("\"State\":\"running\""));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> run("logs") == 0
                && out.toString(StandardCharsets.UTF_8).contains("db up") && out.toString(StandardCharsets.UTF_8).contains("web up"));
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("jcpodman-api-1  | api up");
        assertThat(run("down", "-t", "1")).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(exec(podman("ps", "-a", "-q"))).isBlank();
    }
}
