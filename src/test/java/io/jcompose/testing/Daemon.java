package io.jcompose.testing;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** A background process a fixture started: its log file, a readiness wait, and a SIGTERM stop. */
final class Daemon {
    private final String name;
    private final Process process;
    private final Path log;

    private Daemon(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /**
     * Starts {@code command} with stdout+stderr in {@code log} and waits until {@code ready} holds. Throws
     * IllegalStateException (one line: what, why, where the log is) if it exits or is not ready in time;
     * a process that is not ready in time is stopped first.
     */
    static Daemon start(String name, List<String> command, Path log, Duration timeout, BooleanSupplier ready) {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + name + " (" + command.get(0) + "): " + e.getMessage(), e);
        }
        Daemon d = new Daemon(name, p, log);
        try {
            Awaitility.await(name + " ready").atMost(timeout).pollInterval(Duration.ofMillis(50))
                    .pollInSameThread()
                    .until(() -> {
                        if (!p.isAlive()) {
                            throw new IllegalStateException(name + " (" + String.join(" ", command) + ") exited with "
                                    + p.exitValue() + " before it was ready: " + d.tail() + " [log: " + log + "]");
                        }
                        return ready.getAsBoolean();
                    });
        } catch (ConditionTimeoutException e) {
            d.stop(Duration.ofSeconds(10));
            throw new IllegalStateException(name + " was not ready within " + timeout.toSeconds() + " s: "
                    + d.tail() + " [log: " + log + "]", e);
        }
        return d;
    }

    long pid() {
        return process.pid();
    }

    Path log() {
        return log;
    }

    boolean alive() {
        return process.isAlive();
    }

    /** SIGTERM, then SIGKILL after {@code grace}; returns the exit code. */
    int stop(Duration grace) {
        process.destroy(); // SIGTERM on Linux
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return process.isAlive() ? -1 : process.exitValue();
    }

    /** The last few lines of the log, joined on one line for error messages. */
    String tail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            List<String> last = lines.subList(Math.max(0, lines.size() - 3), lines.size());
            return last.isEmpty() ? "(no output)" : String.join(" | ", last).strip();
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
