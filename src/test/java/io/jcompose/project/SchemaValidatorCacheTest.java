package io.jcompose.project;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI's validator remembers trees that passed, and only those; errors stay exactly as without the cache. */
class SchemaValidatorCacheTest {
    @TempDir
    Path dir;

    private static Node tree(String text) {
        return new YamlReader().read("c.yaml", text);
    }

    private long markers() throws IOException {
        if (!Files.isDirectory(dir)) return 0;
        try (Stream<Path> s = Files.list(dir)) {
            return s.count();
        }
    }

    @Test
    void remembersValidTreesOnly() throws IOException {
        SchemaValidator cached = SchemaValidator.cached(dir);
        cached.validate(tree("services:\n  web:\n    image: x\n"));
        assertThat(markers()).isEqualTo(1);
        cached.validate(tree("services:\n  web:\n    image: x\n"));
        assertThat(markers()).as("the same tree again is a hit").isEqualTo(1);
        cached.validate(tree("services:\n  web:\n    image: y\n"));
        assertThat(markers()).as("another tree is another entry").isEqualTo(2);

        String invalid = "services:\n  web:\n    imagee: x\n";
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> cached.validate(tree(invalid)))
                    .isInstanceOf(ComposeFileException.class)
                    .hasMessage(catchMessage(() -> new SchemaValidator().validate(tree(invalid))))
                    .hasMessage("c.yaml:3:5: services.web: additional property \"imagee\" is not allowed");
        }
        assertThat(markers()).as("failures are never remembered").isEqualTo(2);
    }

    @Test
    void aRememberedTreeSkipsTheSchema() throws IOException {
        SchemaValidator cached = SchemaValidator.cached(dir);
        Node invalid = tree("services:\n  web:\n    imagee: x\n");
        Path marker = cached.marker(new LocatedJson(invalid)).orElseThrow();
        Files.createDirectories(marker.getParent());
        Files.createFile(marker); // as if it had passed: the schema is not consulted
        cached.validate(invalid);
        Files.delete(marker);
        assertThatThrownBy(() -> cached.validate(invalid)).isInstanceOf(ComposeFileException.class);
    }

    @Test
    void aMarkerStandsForExactlyItsTree() throws IOException {
        SchemaValidator cached = SchemaValidator.cached(dir);
        cached.validate(tree("services:\n  web:\n    image: x\n    tty: true\n"));
        // Same shape, a value the schema refuses: a different digest, so validated and refused.
        assertThatThrownBy(() -> cached.validate(tree("services:\n  web:\n    image: x\n    tty: maybe\n")))
                .hasMessage("c.yaml:4:10: services.web.tty: \"maybe\" is not a boolean (write true or false)");
    }

    @Test
    void anUnwritableDirectoryOnlyDisablesTheCache() throws IOException {
        Path file = dir.resolve("not-a-dir");
        Files.writeString(file, "x");
        SchemaValidator cached = SchemaValidator.cached(file.resolve("valid"));
        cached.validate(tree("services:\n  web:\n    image: x\n"));
        assertThatThrownBy(() -> cached.validate(tree("services:\n  web:\n    imagee: x\n"))).isInstanceOf(ComposeFileException.class);
    }

    @Test
    void cacheDirectoryFollowsXdg() {
        assertThat(SchemaValidator.cacheDirectory(Map.of("XDG_CACHE_HOME", "/c", "HOME", "/h")::get)).contains(Path.of("/c/jcompose/valid"));
        assertThat(SchemaValidator.cacheDirectory(Map.of("HOME", "/h")::get)).contains(Path.of("/h/.cache/jcompose/valid"));
        assertThat(SchemaValidator.cacheDirectory(k -> null)).isEmpty();
    }

    private static String catchMessage(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            return e.getMessage();
        }
        throw new AssertionError("expected a failure");
    }
}
