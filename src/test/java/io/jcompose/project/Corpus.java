package io.jcompose.project;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/** The shared reference corpus ({@code -Djcompose.corpus}, default ../shared/corpus); missing = fail under CI=true. */
final class Corpus {
    private Corpus() {}

    static Path root() {
        return Path.of(System.getProperty("jcompose.corpus", "../shared/corpus")).toAbsolutePath().normalize();
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
