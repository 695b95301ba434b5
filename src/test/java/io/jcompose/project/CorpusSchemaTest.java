package io.jcompose.project;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every Compose file of the corpus against our schema. Files listed in {@code src/test/resources/corpus/schema-invalid.txt} must be
 * rejected with a message containing the listed text; every other file must pass.
 *
 * <p>Interpolation is not applied here (this test checks the schema alone): a file that fails only because a
 * {@code ${...}} placeholder stands where a number or boolean belongs is skipped, and the skip is printed.
 */
class CorpusSchemaTest {
    private final YamlReader reader = new YamlReader();
    private final SchemaValidator validator = new SchemaValidator();

    @TestFactory
    Stream<DynamicTest> everyCorpusFile() throws IOException {
        Path root = Corpus.root();
        Map<String, String> invalid = invalidList();
        List<Path> files = new ArrayList<>();
        for (String dir : List.of("awesome", "compose-go/loader/testdata", "compose-go/cli", "e2e/fixtures", "e2e/testdata")) {
            Path d = root.resolve(dir);
            if (!Files.isDirectory(d)) continue;
            try (Stream<Path> s = Files.walk(d)) {
                s.filter(p -> isComposeFile(root.relativize(p).toString())).sorted().forEach(files::add);
            }
        }
        assertThat(files).as("compose files in the corpus").hasSizeGreaterThan(50);
        assertThat(files.stream().map(p -> root.relativize(p).toString()))
                .as("every file listed as invalid exists").containsAll(invalid.keySet());
        return files.stream().map(p -> {
            String rel = root.relativize(p).toString();
            return DynamicTest.dynamicTest(rel, () -> check(rel, p, invalid.get(rel)));
        });
    }

    /** Compose files by name; other YAML in the corpus (app configs, CI files) is not ours to judge. */
    static boolean isComposeFile(String rel) {
        String name = rel.substring(rel.lastIndexOf('/') + 1);
        if (!(name.endsWith(".yaml") || name.endsWith(".yml"))) return false;
        if (rel.startsWith("awesome/")) return name.matches("(docker-)?compose[^/]*\\.ya?ml");
        return !NOT_COMPOSE.contains(rel);
    }

    /** YAML files under the fixture folders that are not Compose files. */
    private static final List<String> NOT_COMPOSE = List.of();

    private void check(String rel, Path file, String expectedError) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        List<ComposeFileException> errors;
        try {
            errors = validator.violations(reader.read(rel, text));
        } catch (ComposeFileException e) {
            errors = List.of(e); // unreadable YAML is a rejection too
        }
        if (expectedError != null) {
            assertThat(errors).as(rel + " is invalid on purpose").isNotEmpty();
            assertThat(errors.get(0).getMessage()).as(rel).contains(expectedError);
            return;
        }
        if (!errors.isEmpty() && text.contains("${")) {
            boolean allPlaceholders = errors.stream().allMatch(e -> e.getMessage().contains("not a string")
                    && e.getMessage().matches(".*must be (a number|an integer|a boolean).*") );
            if (allPlaceholders || errors.stream().allMatch(e -> e.getMessage().contains("\"${"))) {
                System.out.println("skipped (uninterpolated): " + rel + ": " + errors.get(0).getMessage());
                return;
            }
        }
        assertThat(errors).as(rel + " must be valid").isEmpty();
    }

    /** {@code path<TAB>expected message fragment}, one per line; {@code #} comments. */
    private static Map<String, String> invalidList() throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (var in = CorpusSchemaTest.class.getResourceAsStream("/corpus/schema-invalid.txt")) {
            if (in == null) throw new IllegalStateException("/corpus/schema-invalid.txt is missing from the test class path");
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) continue;
                String[] parts = line.split("\t", 2);
                out.put(parts[0].trim(), parts.length > 1 ? parts[1].trim() : "");
            }
        }
        return out;
    }
}
