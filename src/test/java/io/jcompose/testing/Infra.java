package io.jcompose.testing;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The one place that decides what a missing piece of test infrastructure means: a skip on a developer's
 * machine, a failure under {@code CI=true} (CI must never go green by skipping everything).
 */
public final class Infra {
    private Infra() {}

    public static boolean isCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** Skips the calling test (or fails it under CI=true) unless {@code available}; {@code why} says what is missing. */
    public static void require(boolean available, String why) {
        require(available, why, isCi());
    }

    static void require(boolean available, String why, boolean ci) {
        if (available) return;
        if (ci) Assertions.fail("test infrastructure missing under CI=true: " + why);
        Assumptions.assumeTrue(false, "skipped, infrastructure missing: " + why);
    }

    /** Requires root (namespaces, mounts, iptables, daemons). */
    public static void requireRoot() {
        require("root".equals(System.getProperty("user.name")), "needs root (running as " + System.getProperty("user.name") + ")");
    }

    /** Requires an executable and returns its path; {@code name} is looked up on PATH unless absolute. */
    public static Path requireBinary(String name) {
        Optional<Path> p = which(name);
        require(p.isPresent(), name + " not found on PATH (install the Debian package; .ci/run lists them)");
        return p.orElseThrow();
    }

    public static Optional<Path> which(String name) {
        if (name.contains("/")) {
            Path p = Path.of(name);
            return Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
        }
        String path = System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
        for (String dir : (path + ":/usr/local/sbin:/usr/sbin:/sbin").split(":")) {
            if (dir.isEmpty()) continue;
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p) && !Files.isDirectory(p)) return Optional.of(p);
        }
        return Optional.empty();
    }

    /** A setting from a system property, else an environment variable, else the default. */
    static String setting(String property, String env, String dflt) {
        String v = System.getProperty(property);
        if (v == null || v.isEmpty()) v = System.getenv(env);
        return v == null || v.isEmpty() ? dflt : v;
    }
}
