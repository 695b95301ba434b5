package io.jcompose.engine;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** Test infrastructure checks and small process helpers. Under CI=true missing infrastructure fails instead of skipping. */
public final class Infra {
    private Infra() {}

    public static void require(boolean present, String what) {
        if (present) return;
        if ("true".equals(System.getenv("CI"))) fail("required test infrastructure missing under CI=true: " + what);
        Assumptions.assumeTrue(false, "skipped, missing: " + what);
    }

    public static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    public static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) return true;
        }
        return false;
    }

    /** The result of a finished command. */
    public record Run(int code, String out, String err) {}

    public static Run run(List<String> cmd) throws IOException, InterruptedException {
        Path out = Files.createTempFile("jce-out", ".txt");
        Path err = Files.createTempFile("jce-err", ".txt");
        try {
            Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("timed out: " + cmd);
            }
            return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static volatile Integer cliMajor;

    /**
     * What the docker CLI on PATH prints for a 404 from any daemon (dockerd or ours), given the daemon's message.
     * The difference is in the CLI, not the daemon or the API version: before Docker 23 the client library replaced
     * a 404's message with its own {@code Error: No such <kind>: <name>} (wrapResponseError, removed by
     * moby/moby#43398); from 23 on it prints {@code Error response from daemon: <message>}. Debian 12's docker.io is
     * 20.10; a newer CLI may be first on PATH on a developer machine. Seen the same with DOCKER_API_VERSION set or not.
     */
    public static String cliNotFound(String kind, String name, String daemonMessage) throws IOException, InterruptedException {
        if (cliMajor == null) {
            // "Docker version 28.2.2, build e6534b4" / "Docker version 20.10.24+dfsg1, build 297e128"
            String v = run(List.of("docker", "--version")).out();
            var m = java.util.regex.Pattern.compile("Docker version (\\d+)\\.").matcher(v);
            if (!m.find()) fail("cannot read the docker CLI's version from: " + v);
            cliMajor = Integer.parseInt(m.group(1));
        }
        return cliMajor < 23 ? "Error: No such " + kind + ": " + name : "Error response from daemon: " + daemonMessage;
    }

    /** A short state root under /tmp (socket paths must stay under 107 bytes). */
    public static Path tempRoot() throws IOException {
        return Files.createTempDirectory(Path.of("/tmp"), "jce-");
    }

    /** Deletes a tree made by {@link #tempRoot()}; refuses anything else, so a bug cannot delete a host path. */
    public static void deleteTempRoot(Path root) throws IOException {
        if (root == null || !root.getParent().equals(Path.of("/tmp")) || !root.getFileName().toString().startsWith("jce-")) {
            throw new IllegalArgumentException("refusing to delete " + root);
        }
        if (!Files.exists(root)) return;
        try (var walk = Files.walk(root)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
