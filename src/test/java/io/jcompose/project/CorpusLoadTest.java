package io.jcompose.project;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every Compose file of the corpus loads; the ones in {@code corpus/invalid.txt} fail with exactly the located message
 * in {@code corpus/errors/}. A valid file's {@code config} output is stable: printing what it printed again gives the
 * same text.
 *
 * <p>{@code -Djcompose.updateGolden=true} rewrites the expected messages (under src/test/resources) for review.
 * {@code -Djcompose.corpus.standin=true} runs only the input stages (YAML, interpolation) with stand-ins for the rest:
 * {@code mvn -o test -Dtest=CorpusLoadTest -Djcompose.corpus.standin=true -Djunit.jupiter.conditions.deactivate=org.junit.*DisabledCondition}.
 */
@Tag("corpus")
class CorpusLoadTest {
    static final boolean STANDIN = Boolean.getBoolean("jcompose.corpus.standin");
    static final boolean UPDATE = Boolean.getBoolean("jcompose.updateGolden");

    static ProjectLoader loader() {
        return STANDIN ? StandInStages.loader() : new ProjectLoader();
    }

    /** invalid.txt: {@code path<TAB>errors-file}, '#' comments. */
    static Map<String, String> invalid() throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        try (InputStream in = CorpusLoadTest.class.getResourceAsStream("/corpus/invalid.txt")) {
            assertThat(in).as("src/test/resources/corpus/invalid.txt").isNotNull();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) continue;
                String[] c = line.split("\t");
                assertThat(c).as("invalid.txt line: " + line).hasSize(2);
                out.put(c[0], c[1]);
            }
        }
        return out;
    }

    static Stream<String> files() {
        return CorpusFiles.all().stream();
    }

    @Test
    void everyInvalidEntryNamesACorpusFile() throws IOException {
        assertThat(CorpusFiles.all()).containsAll(invalid().keySet());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void loads(String relative) throws IOException {
        Path file = Corpus.root().resolve(relative);
        String expectedErrorFile = invalid().get(relative);
        String text = Files.readString(file);
        try {
            LoadedProject p = loader().load(CorpusFiles.options(file, text));
            if (expectedErrorFile != null && !STANDIN) fail(relative + " is listed as invalid but loaded");
            String once = NodeWriter.yaml(p.canonical());
            // Printed values are already interpolated: read them back as they are.
            LoadedProject again = loader().load(CorpusFiles.stdinOptions(file, once, p.name(), false));
            assertThat(NodeWriter.yaml(again.canonical())).as("config output of " + relative + " is stable").isEqualTo(once);
            if (!STANDIN) assertThat(again.model()).as("config output of " + relative + " re-loads to an equal model").isEqualTo(p.model());
        } catch (ComposeFileException | ComposeFileNotFoundException e) {
            if (expectedErrorFile == null) {
                fail(relative + " should load but failed: " + e.getMessage());
            }
            Path golden = goldenPath(expectedErrorFile);
            // Messages may name absolute corpus paths; goldens say /CORPUS so they hold on every machine.
            String message = e.getMessage().replace(Corpus.root().toString(), "/CORPUS");
            if (UPDATE) {
                if ("true".equals(System.getenv("CI"))) throw new IllegalStateException("-Djcompose.updateGolden is refused under CI=true");
                Files.writeString(golden, message + "\n");
                return;
            }
            assertThat(message).isEqualTo(readGolden(expectedErrorFile));
        }
    }

    static String readGolden(String name) throws IOException {
        try (InputStream in = CorpusLoadTest.class.getResourceAsStream("/corpus/errors/" + name)) {
            assertThat(in).as("src/test/resources/corpus/errors/" + name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        }
    }

    static Path goldenPath(String name) {
        return Path.of(System.getProperty("jcompose.projectDir", ".")).resolve("src/test/resources/corpus/errors").resolve(name);
    }
}
