package io.jcompose.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A Docker daemon for tests. If the socket already answers {@code /_ping} (a developer's dockerd) it is used
 * and never stopped; otherwise Debian's {@code dockerd} is started once per JVM and stopped (SIGTERM) at exit.
 *
 * <p>Settings (system property, else env): {@code jcompose.test.dockerd} / {@code JCOMPOSE_TEST_DOCKERD} the
 * binary (default {@code dockerd}); {@code jcompose.test.dockerSocket} / {@code JCOMPOSE_TEST_DOCKER_SOCKET}
 * the socket (default /var/run/docker.sock). A daemon on a non-default socket runs in its own network namespace
 * with its own data/exec roots under /tmp, so it never touches the host's docker0 or iptables.
 */
public final class Dockerd {
    public static final Path DEFAULT_SOCKET = Path.of("/var/run/docker.sock");
    /** Every container or network a test creates in dockerd carries this label; the leak checker looks for it. */
    public static final String TEST_LABEL = "io.jcompose.test=true";

    private static Dockerd shared;
    private static String sharedFailure;

    private final Path socket;
    private final Daemon daemon; // null: someone else's dockerd, not ours to stop
    private final Path dir;      // log (and for a second daemon, its state); null with daemon
    private final String netns;  // a second daemon's network namespace; null for one on the default socket

    private Dockerd(Path socket, Daemon daemon, Path dir, String netns) {
        this.socket = socket;
        this.daemon = daemon;
        this.dir = dir;
        this.netns = netns;
    }

    /**
     * The dockerd for this JVM: started at most once (a failure is remembered, not retried), else skips the
     * calling test, or fails it under CI=true with the reason.
     */
    public static synchronized Dockerd shared() {
        if (shared == null && sharedFailure == null) {
            try {
                Path bin = Path.of(Infra.setting("jcompose.test.dockerd", "JCOMPOSE_TEST_DOCKERD", "dockerd"));
                Path sock = Path.of(Infra.setting("jcompose.test.dockerSocket", "JCOMPOSE_TEST_DOCKER_SOCKET",
                        DEFAULT_SOCKET.toString()));
                shared = startOrReuse(bin, sock, Duration.ofSeconds(60));
                if (shared.startedByUs()) {
                    Dockerd d = shared;
                    Runtime.getRuntime().addShutdownHook(new Thread(d::stop, "stop-dockerd"));
                }
            } catch (IllegalStateException e) {
                sharedFailure = e.getMessage();
            }
        }
        Infra.require(sharedFailure == null, "no Docker daemon: " + sharedFailure);
        return shared;
    }

    /**
     * Uses the daemon answering on {@code socket}, or starts {@code binary} there. Throws IllegalStateException
     * with a one-line reason (binary missing, exited early, not ready in time; log file named) on failure.
     */
    public static Dockerd startOrReuse(Path binary, Path socket, Duration timeout) {
        if (UnixHttp.pingOk(socket)) return new Dockerd(socket, null, null, null);
        if (!"root".equals(System.getProperty("user.name")))
            throw new IllegalStateException("dockerd is not running on " + socket + " and starting it needs root");
        Path bin = Infra.which(binary.toString()).orElseThrow(() -> new IllegalStateException(
                "dockerd binary '" + binary + "' not found (install docker.io, or set jcompose.test.dockerd)"));
        Path dir;
        try {
            dir = Files.createTempDirectory(Path.of("/tmp"), "jc-dockerd-");
        } catch (IOException e) {
            throw new IllegalStateException("cannot prepare a directory for dockerd: " + e.getMessage(), e);
        }
        List<String> cmd = new ArrayList<>();
        String netns = null;
        if (!socket.equals(DEFAULT_SOCKET)) {
            // A second daemon beside the developer's must touch none of its objects: it gets its own network
            // namespace (its docker0 and iptables rules live there; a daemon started with --bridge none would
            // delete the host's docker0!), its own data/exec roots, pid file and containerd.
            netns = "jc-dockerd-" + dir.getFileName().toString().replaceAll("\\D", "").substring(0, 6);
            Exec.run("ip", "netns", "add", netns).check();
            // nsenter, not `ip netns exec`: the latter remounts /sys and hides the cgroup mounts dockerd needs.
            cmd.addAll(List.of("nsenter", "--net=/run/netns/" + netns, "--"));
        }
        cmd.addAll(List.of(bin.toString(), "--host", "unix://" + socket));
        if (netns != null) {
            cmd.addAll(List.of("--data-root", dir.resolve("data").toString(), "--exec-root", dir.resolve("exec").toString(),
                    "--pidfile", dir.resolve("docker.pid").toString(), "--iptables=false"));
        }
        try {
            Daemon d = Daemon.start("dockerd", cmd, dir.resolve("dockerd.log"), timeout, () -> UnixHttp.pingOk(socket));
            return new Dockerd(socket, d, dir, netns);
        } catch (IllegalStateException e) {
            if (netns != null) Exec.run("ip", "netns", "delete", netns);
            throw e;
        }
    }

    public Path socket() {
        return socket;
    }

    /** {@code unix:///var/run/docker.sock}, for DOCKER_HOST. */
    public String dockerHost() {
        return "unix://" + socket;
    }

    /** True if this fixture started the daemon (and so will stop it). */
    public boolean startedByUs() {
        return daemon != null;
    }

    /** Runs the docker CLI against this daemon (DOCKER_HOST set); the caller checks the result. */
    public Exec.Result docker(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add("docker");
        cmd.addAll(List.of(args));
        return Exec.run(cmd, Map.of("DOCKER_HOST", dockerHost()), Duration.ofMinutes(3));
    }

    /** Stops the daemon if this fixture started it; a no-op for a daemon that was already running. */
    public void stop() {
        if (daemon == null) return;
        daemon.stop(Duration.ofSeconds(30));
        if (netns != null) Exec.run("ip", "netns", "delete", netns);
        try {
            TestFiles.deleteTree(dir, Path.of("/tmp"));
        } catch (RuntimeException e) {
            System.err.println("dockerd fixture: " + e.getMessage());
        }
    }
}
