package io.jcompose.e2e;

import io.jcompose.testing.Infra;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the docker compose e2e material lives: {@code <corpus>/e2e} ({@code -Djcompose.corpus}, default
 * {@code ../shared/corpus}, or one level further up from a worktree), and this checkout's root
 * ({@code -Djcompose.projectDir}, set by surefire, else the working directory).
 */
final class E2eCorpus {
    private E2eCorpus() {}

    static Path e2e() {
        String prop = System.getProperty("jcompose.corpus");
        Path p = Path.of(prop != null && !prop.isEmpty() ? prop : "../shared/corpus").toAbsolutePath().normalize();
        if (!Files.isDirectory(p)) p = Path.of("../../shared/corpus").toAbsolutePath().normalize();
        Path e2e = p.resolve("e2e");
        Infra.require(Files.isRegularFile(e2e.resolve("SCENARIOS.md")), "docker compose e2e corpus not found at " + e2e
                + " (set -Djcompose.corpus)");
        return e2e;
    }

    static Path scenarios() {
        return e2e().resolve("SCENARIOS.md");
    }

    /** The fixture directory of scenario {@code name}. */
    static Path testdata(String name) {
        Path d = e2e().resolve("testdata").resolve(name);
        Infra.require(Files.isDirectory(d), "no fixture directory " + d);
        return d;
    }

    static Path projectDir() {
        String prop = System.getProperty("jcompose.projectDir");
        return Path.of(prop != null && !prop.isEmpty() ? prop : "").toAbsolutePath().normalize();
    }
}
