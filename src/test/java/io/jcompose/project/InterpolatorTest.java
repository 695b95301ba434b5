package io.jcompose.project;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class InterpolatorTest {
    private final Interpolator interpolator = new Interpolator();
    private final YamlReader reader = new YamlReader();

    /** One row of compose-go/interpolation-cases.tsv: template, environment, expected (or ERROR: text), source, note. */
    record Row(int line, String template, Map<String, String> env, String expected, String source, String note) {
        @Override
        public String toString() {
            return "tsv:" + line + " " + template;
        }
    }

    static Stream<Arguments> corpusRows() throws IOException {
        List<String> lines = Files.readAllLines(Corpus.require("compose-go/interpolation-cases.tsv"), StandardCharsets.UTF_8);
        List<Arguments> rows = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            if (l.isBlank() || l.startsWith("#")) continue;
            String[] c = l.split("\t", -1);
            Map<String, String> env = new HashMap<>();
            if (!c[1].isEmpty()) {
                for (String kv : c[1].split(";")) {
                    int eq = kv.indexOf('=');
                    env.put(kv.substring(0, eq), kv.substring(eq + 1));
                }
            }
            rows.add(Arguments.of(new Row(i + 1, c[0], env, c[2], c[3], c.length > 4 ? c[4] : "")));
        }
        assertThat(rows).hasSizeGreaterThan(40);
        return rows.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpusRows")
    void everyCorpusRow(Row row) {
        Function<String, Optional<String>> env = k -> Optional.ofNullable(row.env().get(k));
        List<Warning> warnings = new ArrayList<>();
        boolean cast = row.expected().endsWith("(int after cast)");
        boolean viaTree = row.source().startsWith("interpolation/");
        Location at = new Location("compose.yaml", 4, 12);
        if (row.expected().startsWith("ERROR: ")) {
            String want = row.expected().substring("ERROR: ".length());
            ComposeFileException e = viaTree
                    ? catchThrowableOfType(ComposeFileException.class, () -> interpolator.interpolate(tree(row.template(), false), env))
                    : catchThrowableOfType(ComposeFileException.class, () -> interpolator.interpolate(row.template(), env, at, "x"));
            assertThat(e).as("expected an error").isNotNull();
            if (want.startsWith("Invalid template") || want.startsWith("invalid interpolation format")) {
                // compose-go's wording differs; ours names the fragment and the fix.
                assertThat(e.problem()).startsWith("invalid interpolation \"").endsWith("write a literal $ as $$");
            } else {
                assertThat(e.problem()).isEqualTo(want);
            }
            if (viaTree) {
                assertThat(e.specPath()).isEqualTo(cast ? "services.servicea.deploy.replicas" : "services.servicea.image");
                assertThat(e.location().line()).isEqualTo(3);
            }
            return;
        }
        if (cast) {
            Node.Scalar s = scalarOf(interpolator.interpolate(tree(row.template(), true), env, warnings::add), true);
            assertThat(s.kind()).isEqualTo(Node.Kind.INT);
            assertThat(s.text()).isEqualTo(row.expected().substring(0, row.expected().indexOf(' ')));
            return;
        }
        String got = viaTree
                ? scalarOf(interpolator.interpolate(tree(row.template(), false), env, warnings::add), false).text()
                : interpolator.interpolate(row.template(), env, at, "x", warnings::add);
        assertThat(got).isEqualTo(row.expected());
        if (row.note().contains("exactly 1 warning")) assertThat(warnings).hasSize(1);
    }

    private Node tree(String template, boolean replicas) {
        String quoted = "'" + template.replace("'", "''") + "'";
        String yaml = replicas
                ? "services:\n  servicea:\n    deploy:\n      replicas: " + quoted + "\n"
                : "services:\n  servicea:\n    image: " + quoted + "\n";
        return reader.read("compose.yaml", yaml);
    }

    private static Node.Scalar scalarOf(Node root, boolean replicas) {
        Node.Mapping svc = (Node.Mapping) ((Node.Mapping) ((Node.Mapping) root).get("services").orElseThrow()).get("servicea").orElseThrow();
        if (replicas) return (Node.Scalar) ((Node.Mapping) svc.get("deploy").orElseThrow()).get("replicas").orElseThrow();
        return (Node.Scalar) svc.get("image").orElseThrow();
    }

    // --- beyond the corpus ---

    private Node run(String yaml, Map<String, String> env) {
        return interpolator.interpolate(reader.read("compose.yaml", yaml), k -> Optional.ofNullable(env.get(k)));
    }

    @Test
    void keysAreNeverInterpolated() {
        Node.Mapping m = (Node.Mapping) run("$A: $A\n", Map.of("A", "x"));
        assertThat(m.keys()).containsExactly("$A");
        assertThat(((Node.Scalar) m.get("$A").orElseThrow()).text()).isEqualTo("x");
    }

    @Test
    void errorIsLocatedAtTheValueWithItsPath() {
        assertThatThrownBy(() -> run("services:\n  web:\n    image: \"nginx:${TAG\"\n", Map.of()))
                .hasMessage("compose.yaml:3:12: services.web.image: invalid interpolation \"${TAG\"; write a literal $ as $$");
    }

    @Test
    void castsByPath() {
        Node.Mapping m = (Node.Mapping) run("""
                services:
                  web:
                    ports: [{target: "${P}"}]
                    cpus: "${C}"
                    tty: "${T}"
                    environment: {N: "${P}"}
                volumes:
                  v: {external: "${T}"}
                """, Map.of("P", "80", "C", "0.5", "T", "true"));
        Node.Mapping web = (Node.Mapping) ((Node.Mapping) m.get("services").orElseThrow()).get("web").orElseThrow();
        Node.Scalar target = (Node.Scalar) ((Node.Mapping) ((Node.Seq) web.get("ports").orElseThrow()).items().get(0)).get("target").orElseThrow();
        assertThat(target.kind()).isEqualTo(Node.Kind.INT);
        assertThat(((Node.Scalar) web.get("cpus").orElseThrow()).kind()).isEqualTo(Node.Kind.FLOAT);
        assertThat(((Node.Scalar) web.get("tty").orElseThrow()).kind()).isEqualTo(Node.Kind.BOOL);
        Node.Scalar n = (Node.Scalar) ((Node.Mapping) web.get("environment").orElseThrow()).get("N").orElseThrow();
        assertThat(n.kind()).as("environment values stay strings").isEqualTo(Node.Kind.STRING);
        Node.Scalar ext = (Node.Scalar) ((Node.Mapping) ((Node.Mapping) m.get("volumes").orElseThrow()).get("v").orElseThrow()).get("external").orElseThrow();
        assertThat(ext.kind()).isEqualTo(Node.Kind.BOOL);
    }

    @Test
    void badCastIsLocated() {
        assertThatThrownBy(() -> run("services:\n  web:\n    deploy:\n      replicas: ${N}\n", Map.of("N", "many")))
                .hasMessage("compose.yaml:4:17: services.web.deploy.replicas: \"${N}\" (interpolated to \"many\") must be an integer");
    }

    @Test
    void variablesAreListedWithDefaults() {
        assertThat(Interpolator.variables("${A:-x}-$B ${C?need} $${D} ${E:+alt}"))
                .extracting(Interpolator.Variable::name).containsExactly("A", "B", "C", "E");
        assertThat(Interpolator.variables("${A:-x}").get(0).defaultValue()).contains("x");
    }
}
