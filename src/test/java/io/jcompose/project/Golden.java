package io.jcompose.project;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Stream;

/** Data-driven test cases under {@code src/test/resources/<stage>/<case>/}; {@code -Djcompose.updateGolden=true} rewrites expectations. */
final class Golden {
    private Golden() {}

    static Path stageDir(String stage) {
        String base = System.getProperty("jcompose.projectDir", ".");
        return Paths.get(base, "src/test/resources", stage);
    }

    static List<Path> cases(String stage) throws IOException {
        try (Stream<Path> s = Files.list(stageDir(stage))) {
            return s.filter(Files::isDirectory).sorted().toList();
        }
    }

    static String read(Path p) throws IOException {
        return Files.readString(p, StandardCharsets.UTF_8);
    }

    /** Compares {@code actual} with the golden file, or rewrites it when updating. */
    static void assertGolden(Path golden, String actual) throws IOException {
        if (Boolean.getBoolean("jcompose.updateGolden")) {
            // Goldens are reviewed by a person; CI must never rewrite what it checks.
            if ("true".equals(System.getenv("CI"))) throw new IllegalStateException("-Djcompose.updateGolden is refused under CI=true");
            Files.writeString(golden, actual, StandardCharsets.UTF_8);
            return;
        }
        assertThat(Files.exists(golden)).as(golden + " exists (run with -Djcompose.updateGolden=true to create it)").isTrue();
        assertThat(actual).as(golden.toString()).isEqualTo(read(golden));
    }
}
