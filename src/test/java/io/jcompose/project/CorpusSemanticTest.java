package io.jcompose.project;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Self-contained corpus files (no extends, include, variables or merge tags) through the SemanticValidator, before
 * canonicalisation: it must raise no false alarms on real stacks ({@code *override*} files are partial and skipped). The corpus's cycle fixtures are checked by
 * {@link SemanticValidatorTest#corpusCyclesAreFound()} and skipped here.
 */
class CorpusSemanticTest {
    /** Checked elsewhere, or only meaningful after a later stage. */
    private static final List<String> SKIPPED = List.of(
            "compose-go/loader/testdata/compose-depends-on-cycle.yaml",
            "compose-go/loader/testdata/compose-depends-on-self.yaml",
            "compose-go/loader/testdata/compose-depends-on-profile-no-cycle.yaml"); // the cycle is broken by profiles, a later stage

    /** Files that must fail, with the expected message fragment. */
    private static final Map<String, String> INVALID = Map.ofEntries(
            Map.entry("e2e/fixtures/container_name/compose.yaml", "container name \"test\" is already used by service \"another_test\""),
            Map.entry("e2e/fixtures/providers/depends-on-multiple-providers.yaml", "provider services are not supported"),
            Map.entry("e2e/fixtures/providers/provider-stop.yaml", "provider services are not supported"),
            Map.entry("e2e/fixtures/providers/rawsetenv-inherit-map.yaml", "provider services are not supported"),
            Map.entry("e2e/fixtures/providers/rawsetenv-inherit.yaml", "provider services are not supported"),
            Map.entry("e2e/fixtures/providers/rawsetenv-override.yaml", "provider services are not supported"),
            Map.entry("e2e/fixtures/providers/rawsetenv.yaml", "provider services are not supported"),
            Map.entry("e2e/testdata/TestDependsOnMultipleProviders/compose.yaml", "provider services are not supported"),
            Map.entry("e2e/testdata/TestProviderRawSetEnv/compose.yaml", "provider services are not supported"),
            Map.entry("e2e/testdata/TestProviderRawSetEnvOverridesInheritedEnv/compose.yaml", "provider services are not supported"),
            Map.entry("e2e/testdata/TestProviderRawSetEnvOverridesInheritedEnvMapForm/compose.yaml", "provider services are not supported"),
            Map.entry("e2e/testdata/TestProviderRawSetEnvOverridesUserEnv/compose.yaml", "provider services are not supported"),
            Map.entry("e2e/testdata/TestProviderStopHook/compose.yaml", "provider services are not supported"));

    @TestFactory
    Stream<DynamicTest> selfContainedFiles() throws IOException {
        Path root = Corpus.root();
        List<DynamicTest> tests = new ArrayList<>();
        for (String dir : List.of("awesome", "compose-go/loader/testdata", "e2e/fixtures", "e2e/testdata")) {
            try (Stream<Path> s = Files.walk(root.resolve(dir))) {
                for (Path p : s.sorted().toList()) {
                    String rel = root.relativize(p).toString();
                    if (!CorpusSchemaTest.isComposeFile(rel) || SKIPPED.contains(rel) || rel.contains("override")) continue;
                    String text = Files.readString(p, StandardCharsets.UTF_8);
                    if (text.contains("extends") || text.contains("include") || text.contains("$") || text.contains("!reset")
                            || text.contains("!override")) continue;
                    tests.add(DynamicTest.dynamicTest(rel, () -> {
                        List<Warning> warnings = new ArrayList<>();
                        List<ComposeFileException> problems = new SemanticValidator().problems(new YamlReader().read(rel, text), warnings::add);
                        warnings.forEach(w -> System.out.println("warning: " + w));
                        if (INVALID.containsKey(rel)) {
                            assertThat(problems).as(rel + " is invalid on purpose").isNotEmpty();
                            assertThat(problems.get(0).getMessage()).contains(INVALID.get(rel));
                        } else {
                            assertThat(problems).as(rel).isEmpty();
                        }
                    }));
                }
            }
        }
        assertThat(tests).hasSizeGreaterThan(50);
        return tests.stream();
    }
}
