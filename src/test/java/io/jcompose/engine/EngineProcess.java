package io.jcompose.engine;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * {@code jcompose engine} as a separate process, started from the test's own classpath (so it works before the jar
 * is packaged) with the flags bin/jcompose gives the engine.
 */
final class EngineProcess implements AutoCloseable {
    final Path root;
    final Path socket;
    final Process process;
    final Path stderr;

    private EngineProcess(Path root, Path socket, Process process, Path stderr) {
        this.root = root;
        this.socket = socket;
        this.process = process;
        this.stderr = stderr;
    }

    static List<String> command(Path root, Path socket, String... extra) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-Xss512k", "-XX:MaxRAMPercentage=10",
                "-cp", System.getProperty("java.class.path"), "io.jcompose.Main", "engine",
                "--root", root.toString(), "--socket", socket.toString()));
        cmd.addAll(List.of(extra));
        return cmd;
    }

    /** Starts an engine (not waiting for it). */
    static EngineProcess launch(Path root, Path socket, String... extra) throws IOException {
        Path err = Files.createTempFile("jce-engine", ".err");
        Process p = new ProcessBuilder(command(root, socket, extra))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(err.toFile()).start();
        return new EngineProcess(root, socket, p, err);
    }

    /** Starts an engine and waits until /_ping answers. */
    static EngineProcess start(Path root, String... extra) throws IOException {
        EngineProcess e = launch(root, root.resolve("e.sock"), extra);
        e.awaitReady();
        return e;
    }

    void awaitReady() {
        Awaitility.await("engine answers /_ping on " + socket).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                .until(() -> {
                    if (!process.isAlive()) throw new IllegalStateException("engine exited " + process.exitValue() + ": " + stderr());
                    return EnginePing.ping(socket, Duration.ofSeconds(1));
                });
    }

    String stderr() throws IOException {
        return Files.readString(stderr);
    }

    /** SIGTERM and wait; returns the exit code. */
    int terminate() throws InterruptedException {
        process.destroy(); // SIGTERM on Linux
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("engine did not stop within 30 s of SIGTERM");
        }
        return process.exitValue();
    }

    @Override
    public void close() throws Exception {
        if (process.isAlive()) terminate();
        Files.deleteIfExists(stderr);
    }
}
