package io.jcompose.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

/**
 * Keeps docs/e2e-status.md honest: one row per SCENARIOS.md entry, a test behind every pass/fail row and a row for
 * every test, fail rows exactly the known-failures.txt entries, and the summary counts computed from the rows.
 * A pure test (no daemon): it reads files and scans the compiled e2e test classes.
 */
class ScenarioStatusTableTest {
    private static final Pattern ROW = Pattern.compile("^\\| (Test\\w+) \\| (.*?) \\| (pass|fail|todo|n/a|[^|]*?) \\| (.*) \\|$");
    private static final Set<String> STATUSES = Set.of("pass", "fail", "todo", "n/a");

    record Row(String scenario, String testFile, String status, String reason) {}

    static SortedMap<String, Row> rows(List<String> lines) {
        SortedMap<String, Row> out = new TreeMap<>();
        for (String l : lines) {
            Matcher m = ROW.matcher(l);
            if (!m.matches()) continue;
            Row r = new Row(m.group(1), m.group(2).replace("`", ""), m.group(3), m.group(4).strip());
            assertThat(out.put(r.scenario(), r)).as("row for %s appears twice", r.scenario()).isNull();
        }
        return out;
    }

    static List<String> statusLines() throws IOException {
        return Files.readAllLines(E2eCorpus.projectDir().resolve("docs/e2e-status.md"));
    }

    static Set<String> scenarioNames() throws IOException {
        Set<String> names = new TreeSet<>();
        Pattern h = Pattern.compile("^## (Test\\w+)\\s");
        for (String l : Files.readAllLines(E2eCorpus.scenarios())) {
            Matcher m = h.matcher(l);
            if (m.find()) names.add(m.group(1));
        }
        return names;
    }

    /** Scenario name → source file (relative to the project root) of every @ComposeScenario method compiled here. */
    static SortedMap<String, String> tests() throws IOException, URISyntaxException, ClassNotFoundException {
        SortedMap<String, String> out = new TreeMap<>();
        Path dir = Path.of(ScenarioStatusTableTest.class.getResource("").toURI());
        List<Path> classes;
        try (Stream<Path> s = Files.list(dir)) {
            classes = s.filter(p -> p.getFileName().toString().endsWith(".class")).sorted().toList();
        }
        for (Path p : classes) {
            String simple = p.getFileName().toString().replaceFirst("\\.class$", "");
            Class<?> c = Class.forName(ScenarioStatusTableTest.class.getPackageName() + "." + simple);
            for (Method m : c.getDeclaredMethods()) {
                ComposeScenario a = m.getAnnotation(ComposeScenario.class);
                if (a == null) continue;
                String top = simple.contains("$") ? simple.substring(0, simple.indexOf('$')) : simple;
                String file = "src/test/java/io/jcompose/e2e/" + top + ".java";
                String was = out.put(a.value(), file);
                assertThat(was).as("scenario %s has two tests (%s, %s.%s)", a.value(), was, simple, m.getName()).isNull();
            }
        }
        return out;
    }

    @Test
    void everyScenarioHasExactlyOneRowWithAValidStatus() throws IOException {
        SortedMap<String, Row> rows = rows(statusLines());
        assertThat(rows.keySet()).as("rows of docs/e2e-status.md vs ## entries of SCENARIOS.md").isEqualTo(scenarioNames());
        for (Row r : rows.values()) {
            assertThat(STATUSES).as("status of %s", r.scenario()).contains(r.status());
            if (!r.status().equals("pass")) assertThat(r.reason()).as("reason of %s (%s)", r.scenario(), r.status()).isNotBlank();
            if (r.status().equals("todo")) assertThat(r.reason()).as("a todo names what it needs: %s", r.scenario()).contains("needs `");
        }
    }

    @Test
    void testsAndRowsAgree() throws Exception {
        SortedMap<String, Row> rows = rows(statusLines());
        SortedMap<String, String> tests = tests();
        assertThat(tests).as("e2e tests found (scan of compiled classes)").isNotEmpty();
        for (Map.Entry<String, String> t : tests.entrySet()) {
            Row r = rows.get(t.getKey());
            assertThat(r).as("row for tested scenario %s", t.getKey()).isNotNull();
            assertThat(r.status()).as("a scenario with a test is pass or fail: %s", t.getKey()).isIn("pass", "fail");
            assertThat(r.testFile()).as("test file of %s", t.getKey()).isEqualTo(t.getValue());
            assertThat(E2eCorpus.projectDir().resolve(r.testFile())).as("test file of %s", t.getKey()).isRegularFile();
        }
        for (Row r : rows.values()) {
            if (r.status().equals("pass") || r.status().equals("fail")) {
                assertThat(tests).as("%s is %s in the table but has no @ComposeScenario test", r.scenario(), r.status()).containsKey(r.scenario());
            } else {
                assertThat(r.testFile()).as("a %s row has no test file: %s", r.status(), r.scenario()).isEqualTo("—");
            }
        }
    }

    @Test
    void failRowsAreExactlyTheKnownFailures() throws IOException {
        SortedMap<String, Row> rows = rows(statusLines());
        SortedMap<String, String> known = KnownFailures.load();
        Set<String> fails = new TreeSet<>();
        rows.values().stream().filter(r -> r.status().equals("fail")).forEach(r -> fails.add(r.scenario()));
        assertThat(known.keySet()).as("known-failures.txt vs fail rows of docs/e2e-status.md").isEqualTo(fails);
        for (String f : fails) assertThat(rows.get(f).reason()).as("reason of %s", f).isEqualTo(known.get(f).replace("|", "\\|"));
    }

    @Test
    void summaryCountsMatchTheRows() throws IOException {
        List<String> lines = statusLines();
        SortedMap<String, Row> rows = rows(lines);
        Map<String, Integer> count = new TreeMap<>();
        for (String s : STATUSES) count.put(s, 0);
        rows.values().forEach(r -> count.merge(r.status(), 1, Integer::sum));
        List<String> expected = new ArrayList<>();
        for (String s : List.of("pass", "fail", "todo", "n/a")) expected.add("| " + s + " | " + count.get(s) + " |");
        expected.add("| total | " + rows.size() + " |");
        assertThat(lines).as("summary table").containsSubsequence(expected);
        int applicable = count.get("pass") + count.get("fail") + count.get("todo");
        String line = String.format("Applicable: %d; pass: %d of %d applicable (%.0f%%).", applicable, count.get("pass"), applicable,
                100.0 * count.get("pass") / applicable);
        assertThat(lines).as("summary sentence").contains(line);
    }

    /** The things a todo row's reason names after "needs": {@code needs `run`, `build`} → [run, build]. */
    static List<String> needs(String reason) {
        int at = reason.lastIndexOf("needs `");
        List<String> out = new ArrayList<>();
        if (at < 0) return out;
        Matcher m = Pattern.compile("`([^`]+)`").matcher(reason.substring(at));
        while (m.find()) out.add(m.group(1));
        return out;
    }

    @Test
    void missingVerbTableIsComputedFromTheTodoRows() throws IOException {
        List<String> lines = statusLines();
        Map<String, int[]> counts = new TreeMap<>();
        for (Row r : rows(lines).values()) {
            if (!r.status().equals("todo")) continue;
            List<String> n = needs(r.reason());
            for (String x : n) {
                int[] c = counts.computeIfAbsent(x, k -> new int[2]);
                c[0]++;
                if (n.size() == 1) c[1]++;
            }
        }
        Pattern row = Pattern.compile("^\\| `([^`]+)` \\| (\\d+) \\| (\\d+) \\|$");
        Map<String, int[]> documented = new TreeMap<>();
        for (String l : lines) {
            Matcher m = row.matcher(l);
            if (m.matches()) documented.put(m.group(1), new int[] {Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3))});
        }
        assertThat(documented.keySet()).as("verbs/flags in the missing-verb table vs those the todo rows need").isEqualTo(counts.keySet());
        for (Map.Entry<String, int[]> e : counts.entrySet()) {
            assertThat(documented.get(e.getKey())).as("scenarios / alone for %s", e.getKey()).containsExactly(e.getValue());
        }
    }

    @Test
    void knownFailuresParserRejectsMalformedLines() {
        assertThat(KnownFailures.parse("# comment\n\nTestA  some reason\nTestB\tother\n"))
                .containsEntry("TestA", "some reason").containsEntry("TestB", "other").hasSize(2);
        assertThatThrownBy(() -> KnownFailures.parse("TestA\n")).hasMessageContaining(":1: expected 'TestName reason'");
        assertThatThrownBy(() -> KnownFailures.parse("NotATest reason\n")).hasMessageContaining("expected 'TestName reason'");
        assertThatThrownBy(() -> KnownFailures.parse("TestA x\nTestA y\n")).hasMessageContaining(":2: TestA listed twice");
    }

    @Test
    void knownFailuresAbortWhenTheyFailAndFailWhenTheyPass() throws Throwable {
        Optional<String> known = Optional.of("message differs");
        assertThatThrownBy(() -> ScenarioExtension.run("TestX", known, () -> {
            throw new AssertionError("expected foo\nmore");
        })).isInstanceOf(TestAbortedException.class).hasMessage("known failure (message differs); this run: expected foo");
        assertThatThrownBy(() -> ScenarioExtension.run("TestX", known, () -> { }))
                .isInstanceOf(AssertionError.class).hasMessageContaining("TestX is listed").hasMessageContaining("but passed");
        assertThatThrownBy(() -> ScenarioExtension.run("TestX", known, () -> {
            throw new TestAbortedException("no dockerd");
        })).isInstanceOf(TestAbortedException.class).hasMessage("no dockerd");
        assertThatThrownBy(() -> ScenarioExtension.run("TestX", Optional.empty(), () -> {
            throw new AssertionError("real failure");
        })).isInstanceOf(AssertionError.class).hasMessage("real failure");
        ScenarioExtension.run("TestX", Optional.empty(), () -> { });
    }

    @Test
    void outputComparisonIgnoresLayoutButNotWords() {
        CmdResult r = new CmdResult(List.of("jcompose", "config"), 0, "services:\n  web:\n    image: alpine\n", "warning: x\n");
        r.outputContains("services: web: image: alpine").outputContains("warning: x").outputNotContains("image: busybox");
        assertThatThrownBy(() -> r.outputContains("web: services:")).isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> r.stdoutContains("warning")).isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> r.exitCode(1)).isInstanceOf(AssertionError.class);
    }
}
