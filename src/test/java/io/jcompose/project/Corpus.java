package io.jcompose.project;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/** The shared reference corpus ({@code -Djcompose.corpus}, default {@code ../shared/corpus}); missing = fail under CI=true. */
final class Corpus {
    private Corpus() {}

    static Path root() {
        String prop = System.getProperty("jcompose.corpus");
        Path p = Path.of(prop != null ? prop : "../shared/corpus").toAbsolutePath().normalize();
        // A worktree lives one level deeper (/work/wt/<name>) than the main checkout.
        if (!Files.isDirectory(p)) p = Path.of("../../shared/corpus").toAbsolutePath().normalize();
        if (!Files.isDirectory(p)) missing("reference corpus not found at " + p + " (set -Djcompose.corpus)");
        return p;
    }

    /** {@code relative} under the corpus; skips the test locally if absent, fails it under CI=true. */
    static Path require(String relative) {
        Path p = root().resolve(relative);
        if (!Files.exists(p)) missing("corpus file missing: " + p + " (set -Djcompose.corpus)");
        return p;
    }

    private static void missing(String why) {
        if ("true".equals(System.getenv("CI"))) fail(why);
        Assumptions.assumeTrue(false, why);
    }
}
