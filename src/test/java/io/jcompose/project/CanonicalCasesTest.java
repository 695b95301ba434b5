package io.jcompose.project;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * src/test/resources/canonical/&lt;case&gt;/: compose.yaml canonicalised as project "demo" with the case directory as
 * project directory must equal expected.yaml (hand-written; {@code @DIR@} and {@code @PARENT@} stand for the case
 * directory and its parent), or fail with error.txt. Optional: env.properties (the project's variables),
 * warnings.txt (expected warnings, one a line). Every output must be a fixed point of the stage.
 */
class CanonicalCasesTest {
    static Stream<Path> cases() {
        return Trees.cases("canonical");
    }

    /** A stand-in for DotEnv (owned by another stage): KEY=VALUE lines, # comments. */
    static Map<String, String> keyValueLines(String file, String text, java.util.function.Function<String, Optional<String>> lookup) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) continue;
            int eq = l.indexOf('=');
            out.put(l.substring(0, eq), l.substring(eq + 1));
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void canonicalises(Path dir) throws IOException {
        Path abs = dir.toAbsolutePath().normalize();
        Map<String, String> env = new LinkedHashMap<>();
        if (Files.exists(dir.resolve("env.properties"))) env.putAll(keyValueLines("env", Files.readString(dir.resolve("env.properties")), k -> Optional.empty()));
        CanonicalContext ctx = new CanonicalContext("demo", abs, k -> Optional.ofNullable(env.get(k)));
        Canonicalizer canonicalizer = new Canonicalizer(CanonicalCasesTest::keyValueLines);
        Node input = Trees.read(dir.resolve("compose.yaml"));
        List<Warning> warnings = new ArrayList<>();
        if (Files.exists(dir.resolve("error.txt"))) {
            assertThatThrownBy(() -> canonicalizer.canonicalize(input, ctx, warnings::add))
                    .isInstanceOf(ComposeFileException.class)
                    .hasMessage(Trees.readString(dir.resolve("error.txt")).replace("@DIR@", abs.toString()));
            return;
        }
        Node out = canonicalizer.canonicalize(input, ctx, warnings::add);
        String expectedText = Files.readString(dir.resolve("expected.yaml"))
                .replace("@DIR@", abs.toString()).replace("@PARENT@", abs.getParent().toString());
        assertThat(Trees.plain(out)).isEqualTo(Trees.plain(Trees.yaml("expected.yaml", expectedText)));

        List<String> expectedWarnings = Files.exists(dir.resolve("warnings.txt"))
                ? Files.readAllLines(dir.resolve("warnings.txt")).stream().filter(l -> !l.isBlank()).toList() : List.of();
        assertThat(warnings.stream().map(Warning::toString).toList()).isEqualTo(expectedWarnings);

        Node again = canonicalizer.canonicalize(out, ctx, w -> { });
        assertThat(Trees.plain(again)).as("canonical form is a fixed point").isEqualTo(Trees.plain(out));
    }

    static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
