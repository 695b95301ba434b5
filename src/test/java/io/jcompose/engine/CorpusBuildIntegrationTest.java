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

    /** Why a failure is not the engine's: appended to the result line. */
    static final Map<String, String> EXPLAINED = Map.of(
            "awesome/nginx-nodejs-redis/nginx/Dockerfile",
            "the harness nginx look-alike (Debian's) has no /etc/nginx/conf.d/default.conf; dockerd fails the same way");

    /** compose build.secrets of the e2e tests, as their compose files and environment give them (id -> file or value). */
    static final Map<String, Map<String, String>> SECRETS = Map.of(
            "e2e/testdata/TestBuildSecrets/Dockerfile", Map.of("mysecret", "@secret.txt", "build_secret", "bar", "dotenvsecret", "zot"),
            "e2e/testdata/TestBuildDependentImageWithProfile/Dockerfile", Map.of("test-secret", "@test-secret.txt"));

    /** A Docker CLI config dir whose HttpHeaders carry the build secrets (the engine's X-Jcompose-Build-Secrets). */
    private static Path secretsConfig(Path dockerfile, Map<String, String> secrets) throws Exception {
        Map<String, String> encoded = new TreeMap<>();
        for (var e : secrets.entrySet()) {
            byte[] bytes = e.getValue().startsWith("@") ? Files.readAllBytes(dockerfile.resolveSibling(e.getValue().substring(1)))
                    : e.getValue().getBytes(StandardCharsets.UTF_8);
            encoded.put(e.getKey(), java.util.Base64.getEncoder().encodeToString(bytes));
        }
        String header = java.util.Base64.getUrlEncoder().encodeToString(new com.fasterxml.jackson.databind.ObjectMapper()
                .writeValueAsBytes(encoded));
        Path dir = Files.createTempDirectory("jcb-docker-config");
        Files.writeString(dir.resolve("config.json"), "{\"HttpHeaders\":{\"X-Jcompose-Build-Secrets\":\"" + header + "\"}}");
        return dir;
    }

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
                Path config = SECRETS.containsKey(r.path()) ? secretsConfig(file, SECRETS.get(r.path())) : null;
                List<String> cmd = new ArrayList<>(List.of("env", "DOCKER_BUILDKIT=0"));
                if (config != null) cmd.add("DOCKER_CONFIG=" + config);
                cmd.addAll(List.of("docker", "-H", "unix://" + t.socket, "build", "-q",
                        "-t", "jccorpus" + t.run + ":" + tried, "-f", file.toString(), file.getParent().toString()));
                Infra.Run b = Infra.run(cmd);
                if (config != null) {
                    Files.delete(config.resolve("config.json"));
                    Files.delete(config);
                }
                if (b.code() == 0) {
                    built++;
                    results.put(r.path(), "builds");
                } else {
                    List<String> lines = b.err().lines().filter(l -> !l.isBlank() && !l.startsWith("DEPRECATED")
                            && !l.startsWith(" ")).toList();
                    results.put(r.path(), "fails: " + (lines.isEmpty() ? "exit " + b.code() : lines.get(lines.size() - 1))
                            + (EXPLAINED.containsKey(r.path()) ? " (" + EXPLAINED.get(r.path()) + ")" : ""));
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
