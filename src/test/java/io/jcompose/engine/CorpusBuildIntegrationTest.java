package io.jcompose.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.jcompose.engine.build.CorpusDockerfilesTest;
import io.jcompose.testing.TestImages;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Builds every applicable corpus Dockerfile (see docs/dockerfile-status.md) on our engine through the Docker
 * CLI's classic builder, base images being the harness look-alikes tagged under the names the Dockerfiles use.
 * The outcome per file is {@code src/test/resources/build/corpus-builds.txt} (rewritten with
 * {@code -Djcompose.updateGolden=true}, otherwise compared), which the status table shows; at least 80% of the
 * applicable files must build (the builder issue's target).
 */
@Tag("integration")
class CorpusBuildIntegrationTest {
    static final Path RESULTS = Path.of("src/test/resources/build/corpus-builds.txt");
    /** Applicable by the table's rules but not buildable on purpose. */
    static final Map<String, String> SKIP = Map.of(
            "e2e/fixtures/build-infinite/service1/Dockerfile", "skipped: RUN sleep infinity never ends (the e2e test cancels it)");

    @Test
    void applicableCorpusDockerfilesBuild() throws Exception {
        try (ContainersIntegrationTest.Target t = new ContainersIntegrationTest.Target("jcompose")) {
            List<CorpusDockerfilesTest.Row> rows = new ArrayList<>();
            for (Path f : CorpusDockerfilesTest.dockerfiles()) {
                CorpusDockerfilesTest.Row r = CorpusDockerfilesTest.row(f);
                if (r.applicable()) rows.add(r);
            }
            // Each base name the Dockerfiles use points at its harness look-alike.
            Set<String> tagged = new TreeSet<>();
            Pattern repo = Pattern.compile("^(?:docker\\.io/)?(?:library/)?([a-z0-9._-]+)(?::[\\w.-]+)?$");
            for (CorpusDockerfilesTest.Row r : rows) {
                for (String b : r.bases()) {
                    String name = b.replace(" (COPY --from)", "");
                    Matcher m = repo.matcher(name);
                    if (!m.matches() || !tagged.add(name)) continue;
                    String ref = TestImages.ref(m.group(1));
                    docker(t, "pull", "-q", ref);
                    docker(t, "tag", ref, name);
                }
            }
            TreeMap<String, String> results = new TreeMap<>();
            int built = 0, tried = 0;
            for (CorpusDockerfilesTest.Row r : rows) {
                if (SKIP.containsKey(r.path())) {
                    results.put(r.path(), SKIP.get(r.path()));
                    continue;
                }
                tried++;
                Path file = CorpusDockerfilesTest.corpus().resolve(r.path());
                Infra.Run b = Infra.run(List.of("env", "DOCKER_BUILDKIT=0", "docker", "-H", "unix://" + t.socket, "build", "-q",
                        "-t", "jccorpus" + t.run + ":" + tried, "-f", file.toString(), file.getParent().toString()));
                if (b.code() == 0) {
                    built++;
                    results.put(r.path(), "builds");
                } else {
                    List<String> lines = b.err().lines().filter(l -> !l.isBlank() && !l.startsWith("DEPRECATED")
                            && !l.startsWith(" ")).toList();
                    results.put(r.path(), "fails: " + (lines.isEmpty() ? "exit " + b.code() : lines.get(lines.size() - 1)));
                }
            }
            StringBuilder out = new StringBuilder("# corpus Dockerfile -> result of POST /build on the jcompose engine (CorpusBuildIntegrationTest)\n");
            results.forEach((k, v) -> out.append(k).append('\t').append(v).append('\n'));
            System.out.println(out + "built " + built + " of " + tried);
            if (Boolean.getBoolean("jcompose.updateGolden") && !"true".equals(System.getenv("CI"))) {
                Files.writeString(RESULTS, out.toString(), StandardCharsets.UTF_8);
            } else {
                assertThat(out.toString()).isEqualTo(Files.readString(RESULTS, StandardCharsets.UTF_8));
            }
            assertThat(built * 100 / tried).as("percentage of applicable corpus Dockerfiles that build").isGreaterThanOrEqualTo(80);
        }
    }

    private static void docker(ContainersIntegrationTest.Target t, String... args) throws Exception {
        Infra.Run r = t.docker(args);
        assertThat(r.code()).as(List.of(args) + ": " + r).isZero();
    }
}
