package io.jcompose.project;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * No key is silently dropped: for every corpus file that loads, every mapping key path of the input (e.g.
 * {@code services.web.healthcheck.interval}) is either present in the canonical output ({@code config}), covered
 * by a warning whose spec path is that key or one of its parents, or consumed by a documented loader rule (the
 * table below). Descent stops at sequences, whose items the canonical form reshapes (short → long syntax).
 */
@Tag("corpus")
class NoKeyDroppedTest {

    /**
     * Keys the loader consumes by design, each with the rule that replaces it in the canonical form.
     * Patterns over dot-separated key paths; {@code *} is one key.
     */
    private static final Map<String, String> CONSUMED = Map.of(
            "include", "its projects are merged in (IncludeResolver)",
            "services.*.extends", "the base service is merged in (ExtendsResolver)",
            "services.*.extends.*", "the base service is merged in (ExtendsResolver)",
            "services.*.env_file", "its variables are folded into environment, as docker compose config does",
            "services.*.env_file.*", "its variables are folded into environment, as docker compose config does",
            "version", "obsolete; dropped with a warning by the canonicaliser");

    static Stream<String> files() throws IOException {
        Map<String, String> invalid = CorpusLoadTest.invalid();
        return CorpusFiles.all().stream().filter(f -> !invalid.containsKey(f));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void everyInputKeyIsInTheOutputOrWarnedAbout(String relative) throws IOException {
        Path file = Corpus.root().resolve(relative);
        String text = Files.readString(file);
        // Every profile on: a service left out by an inactive profile is the user's choice, not a dropped key.
        ProjectOptions all = CorpusFiles.options(file, text);
        all = new ProjectOptions(all.workingDirectory(), all.files(), all.projectName(), all.projectDirectory(), all.envFiles(),
                List.of("*"), all.services(), all.environment(), all.stdin(), all.interpolate());
        LoadedProject loaded = new ProjectLoader().load(all);
        Node input = new YamlReader().read(file.getFileName().toString(), text);
        List<List<String>> inputPaths = new ArrayList<>();
        keyPaths(input, List.of(), inputPaths);

        List<String> missing = new ArrayList<>();
        for (List<String> path : inputPaths) {
            String dotted = String.join(".", path);
            if (present(loaded.canonical(), path) || warned(loaded.warnings(), dotted) || consumed(dotted)) continue;
            missing.add(dotted);
        }
        assertThat(missing).as(relative + ": input keys neither in the config output nor in a warning (warnings: "
                + loaded.warnings() + ")").isEmpty();
    }

    /** Paths as key lists (keys may contain dots: environment names, labels). A {@code !reset} key is removed by design. */
    private static void keyPaths(Node node, List<String> prefix, List<List<String>> out) {
        if (!(node instanceof Node.Mapping m)) return;
        for (Node.Entry e : m.entries()) {
            if (e.value().tag() == Node.Tag.RESET) continue;
            List<String> path = new ArrayList<>(prefix);
            path.add(e.name());
            out.add(path);
            keyPaths(e.value(), path, out);
        }
    }

    private static boolean present(Node canonical, List<String> path) {
        Node at = canonical;
        for (String key : path) {
            if (!(at instanceof Node.Mapping m)) return at instanceof Node.Seq; // reshaped into a list: key kept as data
            Optional<Node> next = m.get(key);
            if (next.isEmpty()) return false;
            at = next.get();
        }
        return true;
    }

    private static boolean warned(List<Warning> warnings, String path) {
        for (Warning w : warnings) {
            String p = w.specPath().replaceAll("\\[\\d+]", "");
            if (path.equals(p) || path.startsWith(p + ".")) return true;
        }
        return false;
    }

    private static boolean consumed(String path) {
        for (String pattern : CONSUMED.keySet()) {
            if (Pattern.matches(pattern.replace(".", "\\.").replace("*", "[^.]+"), path)) return true;
        }
        return false;
    }
}
