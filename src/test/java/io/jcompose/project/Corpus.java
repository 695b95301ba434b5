package io.jcompose.project;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Assumptions;

/** The shared reference corpus ({@code -Djcompose.corpus}, default {@code ../shared/corpus}); required under CI=true. */
final class Corpus {
    private Corpus() {}

    static Path root() {
        String prop = System.getProperty("jcompose.corpus");
        Path p = Paths.get(prop != null ? prop : "../shared/corpus").toAbsolutePath().normalize();
        // A worktree lives one level deeper (/work/wt/<name>) than the main checkout.
        if (prop == null && !Files.isDirectory(p)) p = Paths.get("../../shared/corpus").toAbsolutePath().normalize();
        if (!Files.isDirectory(p)) {
            String why = "reference corpus not found at " + p + " (set -Djcompose.corpus)";
            if ("true".equals(System.getenv("CI"))) fail(why);
            Assumptions.assumeTrue(false, why);
        }
        return p;
    }

    /** {@code relative} under the corpus; skips the test locally if absent, fails it under CI=true. */
    static Path require(String relative) {
        Path p = root().resolve(relative);
        if (!Files.exists(p)) {
            String why = "corpus file missing: " + p + " (set -Djcompose.corpus)";
            if ("true".equals(System.getenv("CI"))) fail(why);
            Assumptions.assumeTrue(false, why);
        }
        return p;
    }
}
