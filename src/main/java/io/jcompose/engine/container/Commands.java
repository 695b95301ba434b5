package io.jcompose.engine.container;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs helper programs (mount, runc) to completion; a non-zero exit is an IOException with their stderr. */
final class Commands {
    private Commands() {}

    record Result(int code, String out, String err) {}

    static Result exec(List<String> cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        try {
            // Both pipes drained concurrently, so a chatty program cannot block on a full pipe.
            var err = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    return "";
                }
            });
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", cmd) + ": timed out after 60 s");
            }
            return new Result(p.exitValue(), out, err.join());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException(String.join(" ", cmd) + ": interrupted", e);
        }
    }

    static String run(List<String> cmd) throws IOException {
        Result r = exec(cmd);
        if (r.code != 0) {
            throw new IOException(cmd.get(0) + " " + (cmd.size() > 1 ? cmd.get(1) : "") + " failed (exit " + r.code + "): " + r.err.strip());
        }
        return r.out;
    }
}
