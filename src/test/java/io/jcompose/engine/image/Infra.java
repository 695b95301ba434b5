package io.jcompose.engine.image;

import org.junit.jupiter.api.Assumptions;

/** Skips a test whose infrastructure is missing — except under CI=true, where that is a failure. */
final class Infra {
    private Infra() {}

    static void require(boolean present, String what) {
        if (present) return;
        if ("true".equals(System.getenv("CI"))) throw new AssertionError("CI=true and the test infrastructure is missing: " + what);
        Assumptions.assumeTrue(false, "missing: " + what);
    }

    static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    static boolean onPath(String cmd) {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (java.nio.file.Files.isExecutable(java.nio.file.Path.of(d, cmd))) return true;
        }
        return false;
    }
}
