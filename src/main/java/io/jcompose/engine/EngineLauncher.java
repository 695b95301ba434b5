package io.jcompose.engine;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Starts an engine in the background for the CLI (the embedded default): {@code java -cp <our classpath>
 * io.jcompose.Main engine --root … --socket … --detached}, in its own session ({@code setsid}) so a Ctrl-C or a
 * closed terminal of the CLI does not reach it, stdin from /dev/null, stdout and stderr appended to the engine
 * log. Then waits for {@code /_ping} with back-off (10 ms doubling to 200 ms).
 */
public final class EngineLauncher {
    private EngineLauncher() {}

    /** How the engine came to be running. */
    public record Launch(boolean started, Optional<Long> pid, Duration waited) {}

    /** Returns at once if an engine answers on {@code socket}; otherwise starts one and waits up to {@code timeout}. */
    public static Launch ensureRunning(Path root, Path socket, Duration timeout) {
        long t0 = System.nanoTime();
        if (EnginePing.ping(socket, Duration.ofMillis(500))) return new Launch(false, Optional.empty(), Duration.ZERO);
        Path log;
        Process p;
        try {
            StateRoot r = StateRoot.open(root);
            log = r.resolve(EngineLog.FILE);
            ProcessBuilder pb = new ProcessBuilder(command(r.path(), socket))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
            p = pb.start();
        } catch (IOException e) {
            throw new EngineException("cannot start the engine for " + root + ": " + e.getMessage(), e);
        }
        long deadline = t0 + timeout.toNanos();
        long sleep = 10;
        boolean exited = false;
        while (System.nanoTime() < deadline) {
            if (EnginePing.ping(socket, Duration.ofMillis(500))) {
                return new Launch(true, Optional.of(p.pid()), Duration.ofNanos(System.nanoTime() - t0));
            }
            if (!exited && !p.isAlive()) {
                exited = true;
                String last = lastLine(log);
                // Lost a race with another CLI starting the same engine: its engine will answer soon.
                if (!last.contains("another engine is running")) {
                    throw new EngineException("the engine exited with code " + p.exitValue() + " during start-up: " + last
                            + " (see " + log + ")");
                }
            }
            try {
                Thread.sleep(sleep); // polling a socket for a process we do not own: no event to wait on
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EngineException("interrupted while waiting for the engine at " + socket);
            }
            sleep = Math.min(sleep * 2, 200);
        }
        throw new EngineException("the engine did not answer on " + socket + " within " + timeout.toMillis() + " ms (see " + log + ")");
    }

    static List<String> command(Path root, Path socket) {
        List<String> cmd = new ArrayList<>();
        Path setsid = Path.of("/usr/bin/setsid");
        if (Files.isExecutable(setsid)) cmd.add(setsid.toString());
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of("-XX:+UseSerialGC", "-Xss512k", "-XX:MaxRAMPercentage=10"));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.jcompose.Main", "engine",
                "--root", root.toString(), "--socket", socket.toAbsolutePath().toString(), "--detached"));
        return cmd;
    }

    private static String lastLine(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (!lines.get(i).isBlank()) return lines.get(i).trim();
            }
        } catch (IOException e) {
            // fall through
        }
        return "(no output)";
    }
}
