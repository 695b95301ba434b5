package io.jcompose.project;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * {@code src/test/resources/semantic/<case>/compose.yaml} (canonical trees, hand-written) through the
 * SemanticValidator; {@code expected.txt} lists every problem ({@code error: }) in document order, then every
 * warning ({@code warning: }). Empty file: valid without warnings.
 */
class SemanticValidatorTest {
    private final SemanticValidator validator = new SemanticValidator();

    @TestFactory
    Stream<DynamicTest> cases() throws IOException {
        List<Path> cases = Golden.cases("semantic");
        assertThat(cases).hasSizeGreaterThan(5);
        return cases.stream().map(dir -> DynamicTest.dynamicTest(dir.getFileName().toString(), () -> {
            Node tree = new YamlReader().read("compose.yaml", Golden.read(dir.resolve("compose.yaml")));
            List<Warning> warnings = new ArrayList<>();
            StringBuilder out = new StringBuilder();
            for (ComposeFileException e : validator.problems(tree, warnings::add)) out.append("error: ").append(e.getMessage()).append('\n');
            for (Warning w : warnings) out.append("warning: ").append(w).append('\n');
            Golden.assertGolden(dir.resolve("expected.txt"), out.toString());
        }));
    }

    @Test
    void validateThrowsTheFirstProblem() {
        Node tree = new YamlReader().read("c.yaml", "name: x\nservices:\n  b:\n    image: i\n    depends_on: [a]\n  a:\n    image: i\n    depends_on: [b]\n");
        assertThatThrownBy(() -> validator.validate(tree, w -> { }))
                .isInstanceOf(ComposeFileException.class)
                .hasMessage("c.yaml:8:18: services.a.depends_on[0]: dependency cycle: a -> b -> a");
    }

    /** The supported-key table must name real keys: a typo there would turn a supported key into a warning. */
    @Test
    void everySupportedPathExistsInTheSchema() throws IOException {
        JsonNode schema = new ObjectMapper().readTree(SchemaValidator.class.getResourceAsStream(SchemaValidator.SCHEMA_RESOURCE));
        List<String> unknown = new ArrayList<>();
        for (String path : new TreeSet<>(Supported.PATHS)) {
            Set<JsonNode> at = Set.of(schema);
            for (String seg : path.replace("[]", ".[]").split("\\.")) at = step(schema, at, seg);
            if (at.isEmpty()) unknown.add(path);
        }
        assertThat(unknown).isEmpty();
        assertThat(Supported.PATHS).hasSizeGreaterThan(100);
    }

    /** Schema nodes reached from {@code from} by one path segment: a key, {@code *} (any name) or {@code []} (items). */
    private static Set<JsonNode> step(JsonNode root, Set<JsonNode> from, String seg) {
        Set<JsonNode> out = new HashSet<>();
        for (JsonNode n : expand(root, from)) {
            if (seg.equals("[]")) {
                if (n.has("items")) out.add(n.get("items"));
            } else if (seg.equals("*")) {
                n.path("patternProperties").forEach(out::add);
                if (n.path("additionalProperties").isObject()) out.add(n.get("additionalProperties"));
            } else if (n.path("properties").has(seg)) {
                out.add(n.get("properties").get(seg));
            }
        }
        return out;
    }

    /** Follows $ref and every oneOf/anyOf/allOf branch. */
    private static Set<JsonNode> expand(JsonNode root, Set<JsonNode> nodes) {
        Set<JsonNode> out = new HashSet<>();
        Deque<JsonNode> todo = new ArrayDeque<>(nodes);
        while (!todo.isEmpty()) {
            JsonNode n = todo.pop();
            if (!out.add(n)) continue;
            if (n.has("$ref")) todo.push(root.at(n.get("$ref").asText().substring(1)));
            for (String k : List.of("oneOf", "anyOf", "allOf")) n.path(k).forEach(todo::push);
        }
        return out;
    }

    /** compose-go's cycle fixtures (list-form depends_on, before canonicalisation). */
    @Test
    void corpusCyclesAreFound() throws IOException {
        Path dir = Corpus.root().resolve("compose-go/loader/testdata");
        assertThat(firstProblem(dir.resolve("compose-depends-on-cycle.yaml")))
                .endsWith("services.service1.depends_on[0]: dependency cycle: service1 -> service2 -> service3 -> service1");
        assertThat(firstProblem(dir.resolve("compose-depends-on-self.yaml")))
                .endsWith("services.service1.depends_on[0]: dependency cycle: service1 -> service1");
    }

    private String firstProblem(Path file) throws IOException {
        Node tree = new YamlReader().read(file.getFileName().toString(), Golden.read(file));
        List<ComposeFileException> p = validator.problems(tree, w -> { });
        assertThat(p).as(file.toString()).isNotEmpty();
        return p.get(0).getMessage();
    }
}
