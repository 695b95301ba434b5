package io.jcompose.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a command to completion with a time limit and captures its output (for CLI tools used by tests). */
public final class Exec {
    private Exec() {}

    public record Result(List<String> command, int exitCode, String out, String err) {
        public Result {
            command = List.copyOf(command);
        }

        public boolean ok() {
            return exitCode == 0;
        }

        /** Throws with the command, exit code and stderr unless it succeeded; returns this for chaining. */
        public Result check() {
            if (exitCode != 0) {
                throw new IllegalStateException(String.join(" ", command) + " exited " + exitCode + ": "
                        + (err.isBlank() ? out : err).strip());
            }
            return this;
        }
    }

    public static Result run(List<String> command) {
        return run(command, Map.of(), Duration.ofMinutes(2));
    }

    public static Result run(String... command) {
        return run(List.of(command));
    }

    /** Runs {@code command} with extra environment {@code env}; kills it after {@code timeout}. */
    public static Result run(List<String> command, Map<String, String> env, Duration timeout) {
        Path out = null;
        Path err = null;
        try {
            out = Files.createTempFile("jc-exec-", ".out");
            err = Files.createTempFile("jc-exec-", ".err");
            ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly().waitFor();
                return new Result(command, 124, Files.readString(out, StandardCharsets.UTF_8),
                        Files.readString(err, StandardCharsets.UTF_8) + "\n(killed after " + timeout + ")");
            }
            return new Result(command, p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Result(command, 127, "", "cannot run " + command.get(0) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command, e);
        } finally {
            try {
                if (out != null) Files.deleteIfExists(out);
                if (err != null) Files.deleteIfExists(err);
            } catch (IOException ignored) {
                // a temp file we could not delete is not worth failing a test for
            }
        }
    }
}
