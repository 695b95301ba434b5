package io.jcompose.engine.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** build/substitution/cases.tsv: word, environment, expected value or ERROR: message (buildkit's lex rules). */
class ShellLexTest {
    static Stream<Arguments> cases() throws Exception {
        return Files.readAllLines(Path.of("src/test/resources/build/substitution/cases.tsv")).stream()
                .filter(l -> !l.startsWith("#") && !l.isBlank())
                .map(l -> {
                    String[] f = l.split("\t", -1);
                    return Arguments.of(f[0], f[1], f[2]);
                });
    }

    @ParameterizedTest(name = "{0} [{1}] -> {2}")
    @MethodSource("cases")
    void substitutes(String word, String envSpec, String expected) {
        Map<String, String> env = new HashMap<>();
        if (!envSpec.equals("-")) {
            for (String kv : envSpec.split(",")) {
                String[] p = kv.split("=", 2);
                env.put(p[0], p[1]);
            }
        }
        ShellLex lex = new ShellLex('\\');
        if (expected.startsWith("ERROR: ")) {
            assertThatThrownBy(() -> lex.processWord(word, n -> Optional.ofNullable(env.get(n))))
                    .isInstanceOf(ShellLex.SubstitutionException.class)
                    .hasMessage(expected.substring(7));
        } else {
            assertThat(catching(() -> lex.processWord(word, n -> Optional.ofNullable(env.get(n))))).isEqualTo(expected);
        }
    }

    @Test
    void backtickEscape() throws Exception {
        ShellLex lex = new ShellLex('`');
        assertThat(lex.processWord("c:\\dir`$X", n -> Optional.of("no"))).isEqualTo("c:\\dir$X");
    }

    interface Call {
        String get() throws Exception;
    }

    static String catching(Call c) {
        try {
            return c.get();
        } catch (Exception e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }
}
