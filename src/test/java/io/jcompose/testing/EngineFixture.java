package io.jcompose.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Our engine as a separate process, with its own short state root (/tmp/jc-…: unix socket paths must stay
 * under 108 bytes) and socket {@code <root>/engine.sock}. Start waits until {@code GET /_ping} answers "OK";
 * {@link #close()} sends SIGTERM and waits for the exit.
 *
 * <p>The launcher is {@code jcompose.test.engine} / {@code JCOMPOSE_TEST_ENGINE} (e.g. {@code bin/jcompose}) if
 * set, else {@code java -cp <this test run's class path> io.jcompose.Main}: {@code mvn verify} runs the tests
 * before the jar is packaged, and the class path is the code under test.
 */
public final class EngineFixture implements AutoCloseable {
    private static EngineFixture shared;
    private static String sharedFailure;

    private final Path root;
    private final Path socket;
    private final Daemon daemon;

    private EngineFixture(Path root, Path socket, Daemon daemon) {
        this.root = root;
        this.socket = socket;
        this.daemon = daemon;
    }

    /** One engine for this JVM, stopped at exit; skips (fails under CI=true) if it cannot start. */
    public static synchronized EngineFixture shared() {
        if (shared == null && sharedFailure == null) {
            try {
                shared = start(defaultLauncher(), Duration.ofSeconds(60));
                EngineFixture e = shared;
                Runtime.getRuntime().addShutdownHook(new Thread(e::close, "stop-engine"));
            } catch (IllegalStateException e) {
                sharedFailure = e.getMessage();
            }
        }
        Infra.require(sharedFailure == null, "no jcompose engine: " + sharedFailure);
        return shared;
    }

    /** The command that starts the engine, up to (not including) {@code engine --root … --socket …}. */
    public static List<String> defaultLauncher() {
        String launcher = Infra.setting("jcompose.test.engine", "JCOMPOSE_TEST_ENGINE", "");
        if (!launcher.isEmpty()) return List.of(launcher);
        return javaLauncher("io.jcompose.Main");
    }

    /** {@code java -cp <test class path> <mainClass>}, with the engine's JVM flags from bin/jcompose. */
    public static List<String> javaLauncher(String mainClass) {
        String cp = System.getProperty("surefire.test.class.path");
        if (cp == null || cp.isEmpty()) cp = System.getProperty("java.class.path");
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-Xss512k", "-XX:MaxRAMPercentage=10", "-cp", cp, mainClass);
    }

    /** A new engine under a fresh /tmp/jc-… root; the caller closes it. Throws IllegalStateException (one line) on failure. */
    public static EngineFixture start(List<String> launcher, Duration timeout) {
        return start(launcher, List.of(), timeout);
    }

    /** As above, with more {@code jcompose engine} flags (e.g. {@code --registry-mirror docker.io=http://…}). */
    public static EngineFixture start(List<String> launcher, List<String> engineArgs, Duration timeout) {
        Path root;
        try {
            root = Files.createTempDirectory(Path.of("/tmp"), "jc-");
        } catch (IOException e) {
            throw new IllegalStateException("cannot create an engine root under /tmp: " + e.getMessage(), e);
        }
        Path socket = root.resolve("engine.sock");
        if (socket.toString().getBytes(StandardCharsets.UTF_8).length > 107)
            throw new IllegalStateException("engine socket path too long for a unix socket: " + socket);
        List<String> cmd = new ArrayList<>(launcher);
        cmd.addAll(List.of("engine", "--root", root.toString(), "--socket", socket.toString()));
        cmd.addAll(engineArgs);
        // The log lives beside the root, not in it: the engine owns its root's contents.
        Path log = Path.of(root + ".log");
        try {
            Daemon d = Daemon.start("jcompose engine", cmd, log, timeout, () -> UnixHttp.pingOk(socket));
            return new EngineFixture(root, socket, d);
        } catch (IllegalStateException e) {
            removeRoot(root);
            throw e;
        }
    }

    public Path root() {
        return root;
    }

    public Path socket() {
        return socket;
    }

    /** {@code unix://<root>/engine.sock}, for DOCKER_HOST. */
    public String dockerHost() {
        return "unix://" + socket;
    }

    public long pid() {
        return daemon.pid();
    }

    public Path log() {
        return daemon.log();
    }

    public boolean alive() {
        return daemon.alive();
    }

    /** SIGTERM, wait up to 30 s (then SIGKILL); removes the root unless something is still mounted in it. */
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    @Override public void close() {
        purge();
        daemon.stop(Duration.ofSeconds(30));
        removeRoot(root);
        try {
            Files.deleteIfExists(log());
        } catch (IOException ignored) {
            // a stale log in /tmp is harmless
        }
    }

    /**
     * Removes every container and user-defined network of this engine. The engine keeps networks (bridges, JCOMPOSE
     * rules) across its own restarts by design, so a test that stops it and deletes its root without this — e.g. one
     * that failed before its own clean-up — would leave them on the host with nothing left to remove them.
     */
    public void purge() {
        try {
            for (com.fasterxml.jackson.databind.JsonNode c : JSON.readTree(UnixHttp.get(socket, "/containers/json?all=1").body())) {
                UnixHttp.delete(socket, "/containers/" + c.path("Id").asText() + "?force=1&v=1");
            }
            for (com.fasterxml.jackson.databind.JsonNode n : JSON.readTree(UnixHttp.get(socket, "/networks").body())) {
                if (!java.util.Set.of("bridge", "host", "none").contains(n.path("Name").asText())) {
                    UnixHttp.delete(socket, "/networks/" + n.path("Id").asText());
                }
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("engine fixture: cannot purge " + socket + ": " + e.getMessage());
        }
    }

    private static void removeRoot(Path root) {
        try {
            String mounts = Files.readString(Path.of("/proc/self/mountinfo"));
            // A mount left inside the root is the engine's leak: leave it for the leak checker to report.
            if (mounts.contains(" " + root + "/")) return;
            TestFiles.deleteTree(root, Path.of("/tmp"));
        } catch (IOException | RuntimeException e) {
            System.err.println("engine fixture: cannot remove " + root + ": " + e.getMessage());
        }
    }
}
