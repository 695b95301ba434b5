package io.jcompose.engine.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** moby/patternmatcher's and Go's filepath.Match tables, as data (build/dockerignore/*.tsv). */
class DockerIgnoreTest {
    static Stream<Arguments> rows(String file) throws Exception {
        return Files.readAllLines(Path.of("src/test/resources/build/dockerignore", file)).stream()
                .filter(l -> !l.startsWith("#") && !l.isBlank())
                .map(l -> l.split("\t", -1))
                .map(f -> Arguments.of(f[0], f[1], f[2]));
    }

    static Stream<Arguments> matches() throws Exception {
        return rows("matches.tsv");
    }

    static Stream<Arguments> globs() throws Exception {
        return rows("globs.tsv");
    }

    @ParameterizedTest(name = "{0} ~ {1} -> {2}")
    @MethodSource("matches")
    void excludes(String patterns, String path, String expected) throws Exception {
        DockerIgnore d = DockerIgnore.parse(String.join("\n", patterns.split(" \\| ")));
        assertThat(d.excludes(path)).isEqualTo(Boolean.parseBoolean(expected));
    }

    @ParameterizedTest(name = "{0} ~ {1} -> {2}")
    @MethodSource("globs")
    void goFilepathMatch(String pattern, String name, String expected) throws Exception {
        if (expected.equals("ERROR")) {
            assertThatThrownBy(() -> GoGlob.match(pattern, name)).isInstanceOf(GoGlob.BadPattern.class);
        } else {
            assertThat(GoGlob.match(pattern, name)).isEqualTo(Boolean.parseBoolean(expected));
        }
    }

    @Test
    void fileSyntax() throws Exception {
        DockerIgnore d = DockerIgnore.parse("\uFEFF# comment\n  *.log  \n\n!  keep.log\n/secret\n#not-a-pattern\n");
        assertThat(d.excludes("a.log")).isTrue();
        assertThat(d.excludes("keep.log")).isFalse();
        assertThat(d.excludes("secret/key")).isTrue();
        assertThat(d.excludes("#not-a-pattern")).isFalse();
        assertThat(d.excludes("sub/a.log")).isFalse(); // * does not cross directories
    }

    @Test
    void loneExclamationIsAnError() {
        assertThatThrownBy(() -> DockerIgnore.of(List.of("!"))).hasMessageContaining("illegal exclusion pattern");
        assertThatThrownBy(() -> DockerIgnore.of(List.of("["))).hasMessageContaining("syntax error in pattern");
    }
}
