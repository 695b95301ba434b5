package io.jcompose.engine.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import io.jcompose.testing.Infra;
import org.junit.jupiter.api.Test;

/**
 * Every Dockerfile in ../shared/corpus parses (or is listed below with the reason), and docs/dockerfile-status.md
 * is the status table derived from them: base images, whether RUN needs the internet, and so whether the
 * Dockerfile can be built here. Regenerate the table with -Djcompose.updateGolden=true.
 */
public class CorpusDockerfilesTest {
    private static final Path CORPUS = Path.of(System.getProperty("jcompose.corpus", "../../shared/corpus"));

    /** Corpus Dockerfiles expected NOT to parse, with why (none so far). */
    private static final Map<String, String> EXPECTED_PARSE_ERRORS = Map.of();

    /** Images the test harness provides as look-alikes (TestImages.NAMES). */
    private static final Set<String> HARNESS_IMAGES = Set.of("busybox", "alpine", "redis", "nginx");

    /** RUN commands that fetch from the network; the first that matches is the reason. */
    private static final List<String[]> INTERNET = List.of(
            new String[] {"\\bapt-get\\b|\\bapt\\s+(update|install)", "apt-get"},
            new String[] {"\\bapk\\s+(add|update)", "apk add"},
            new String[] {"\\bnpm\\s+(ci|install|i)\\b|\\byarn\\b", "npm install"},
            new String[] {"\\bpip3?\\s+install\\b", "pip install"},
            new String[] {"\\bgo\\s+(mod\\s+download|get|build|install)\\b", "go modules"},
            new String[] {"\\bcargo\\s+(build|install|fetch)\\b|\\brustup\\b", "cargo/rustup"},
            new String[] {"\\bdotnet\\s+(restore|publish|build)\\b", "dotnet restore"},
            new String[] {"\\bmvn\\b|\\bgradle\\b", "maven/gradle"},
            new String[] {"\\bcurl\\b|\\bwget\\b", "curl/wget"},
            new String[] {"\\bgit\\s+clone\\b", "git clone"});

    public record Row(String path, String parses, List<String> bases, List<String> internet, boolean applicable, String reason, boolean hasRun) {}

    public static Path corpus() {
        Path c = CORPUS.toAbsolutePath().normalize();
        if (!Files.isDirectory(c)) c = Path.of("/work/shared/corpus");
        Infra.require(Files.isDirectory(c), "the reference corpus (../shared/corpus) is missing");
        return c;
    }

    public static List<Path> dockerfiles() throws Exception {
        try (Stream<Path> s = Files.walk(corpus())) {
            return s.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().matches("(?i)(.*\\.)?dockerfile(\\..*)?"))
                    .sorted().toList();
        }
    }

    public static Row row(Path file) throws Exception {
        String rel = corpus().relativize(file).toString();
        Dockerfile df;
        try {
            df = new DockerfileParser().parse(file.getFileName().toString(), Files.readString(file));
        } catch (DockerfileException e) {
            return new Row(rel, "no: " + e.getMessage(), List.of(), List.of(), false, "does not parse", false);
        }
        StagePlanner planner = new StagePlanner("Dockerfile", df, BuildRequest.defaults(), Platform.parse("linux/amd64"), Platform.parse("linux/amd64"));
        Set<String> stageNames = new LinkedHashSet<>();
        Set<String> bases = new LinkedHashSet<>();
        Set<String> internet = new LinkedHashSet<>();
        boolean hasRun = false;
        for (Dockerfile.Stage s : df.stages()) {
            String base = planner.baseOf(s);
            if (!stageNames.contains(base.toLowerCase()) && !base.equalsIgnoreCase("scratch")) bases.add(base);
            s.name().ifPresent(stageNames::add);
            for (Instruction i : s.commands()) {
                if (i instanceof Instruction.Copy c && c.from().isPresent() && !stageNames.contains(c.from().get().toLowerCase())
                        && !c.from().get().matches("\\d+")) bases.add(c.from().get() + " (COPY --from)");
                if (i instanceof Instruction.Run r) {
                    hasRun = true;
                    StringBuilder text = new StringBuilder(String.join(" ", r.command().args()));
                    r.heredocs().forEach(h -> text.append('\n').append(h.content()));
                    for (String[] p : INTERNET) if (Pattern.compile(p[0]).matcher(text).find()) internet.add(p[1]);
                }
            }
        }
        List<String> missing = new ArrayList<>();
        for (String b : bases) {
            String repo = b.replace(" (COPY --from)", "");
            repo = repo.contains("@") ? repo.substring(0, repo.indexOf('@')) : repo;
            Matcher m = Pattern.compile("^(?:docker\\.io/)?(?:library/)?([a-z0-9._-]+)(?::[\\w.-]+)?$").matcher(repo);
            if (!m.matches() || !HARNESS_IMAGES.contains(m.group(1))) missing.add(b);
        }
        String reason;
        if (!internet.isEmpty()) reason = "RUN needs the internet (" + String.join(", ", internet) + ")";
        else if (!missing.isEmpty()) reason = "base image not provided by the harness: " + String.join(", ", missing);
        else reason = "";
        return new Row(rel, "yes", List.copyOf(bases), List.copyOf(internet), reason.isEmpty(), reason, hasRun);
    }

    @Test
    void everyCorpusDockerfileParses() throws Exception {
        List<String> failures = new ArrayList<>();
        for (Path f : dockerfiles()) {
            Row r = row(f);
            boolean expected = EXPECTED_PARSE_ERRORS.containsKey(r.path());
            if (r.parses().startsWith("no") != expected) failures.add(r.path() + ": " + r.parses());
        }
        assertThat(dockerfiles()).hasSizeGreaterThan(30);
        assertThat(failures).isEmpty();
    }

    @Test
    void statusTableIsCurrent() throws Exception {
        List<Row> rows = new ArrayList<>();
        for (Path f : dockerfiles()) rows.add(row(f));
        long parses = rows.stream().filter(r -> r.parses().equals("yes")).count();
        long applicable = rows.stream().filter(Row::applicable).count();
        long internet = rows.stream().filter(r -> !r.internet().isEmpty()).count();
        Map<String, Integer> byBase = new TreeMap<>();
        rows.forEach(r -> r.bases().forEach(b -> byBase.merge(b, 1, Integer::sum)));
        // What CorpusBuildIntegrationTest recorded when it built the applicable ones on the engine.
        Map<String, String> builds = new TreeMap<>();
        Path results = Path.of("src/test/resources/build/corpus-builds.txt");
        if (Files.exists(results)) {
            for (String line : Files.readAllLines(results)) {
                if (line.startsWith("#") || !line.contains("\t")) continue;
                builds.put(line.substring(0, line.indexOf('\t')), line.substring(line.indexOf('\t') + 1));
            }
        }
        long built = builds.values().stream().filter(v -> v.equals("builds")).count();
        long tried = builds.values().stream().filter(v -> !v.startsWith("skipped")).count();
        StringBuilder md = new StringBuilder();
        md.append("# Dockerfiles of the reference corpus: status\n\n")
                .append("Generated by `CorpusDockerfilesTest` (`-Djcompose.updateGolden=true` rewrites it) from every Dockerfile under\n")
                .append("`../shared/corpus`. *Applicable* means it can be built on this machine: it parses, its base images are\n")
                .append("harness look-alikes (" + String.join(", ", new java.util.TreeSet<>(HARNESS_IMAGES)) + ") or stages, and no RUN step needs the\n")
                .append("internet (package managers, downloads), which no test may use here. *On the engine* is what\n")
                .append("`CorpusBuildIntegrationTest` recorded (src/test/resources/build/corpus-builds.txt) building each applicable one\n")
                .append("with `DOCKER_BUILDKIT=0 docker build` against the jcompose engine, base images being the harness look-alikes\n")
                .append("tagged under the names the Dockerfile uses (compose build secrets sent as X-Jcompose-Build-Secrets).\n\n")
                .append("Summary: ").append(rows.size()).append(" Dockerfiles, ").append(parses).append(" parse, ")
                .append(rows.size() - parses).append(" do not; ").append(internet).append(" have RUN steps that need the internet; ")
                .append(applicable).append(" applicable here, of which ")
                .append(rows.stream().filter(r -> r.applicable() && !r.hasRun()).count())
                .append(" have no RUN step and ")
                .append(rows.stream().filter(r -> r.applicable() && r.hasRun()).count())
                .append(" have RUN steps. On the engine: ").append(built).append(" of ").append(tried)
                .append(" tried build (").append(tried == 0 ? 0 : built * 100 / tried).append("%)")
                .append(tried < applicable ? ", " + (applicable - tried) + " skipped" : "").append(".\n\n")
                .append("| Dockerfile | parses | base images | RUN needs internet | applicable here | on the engine |\n")
                .append("|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            md.append("| ").append(r.path()).append(" | ").append(r.parses().replace("|", "\\|")).append(" | ")
                    .append(r.bases().isEmpty() ? "scratch/stages only" : String.join(", ", r.bases())).append(" | ")
                    .append(r.internet().isEmpty() ? "no" : String.join(", ", r.internet())).append(" | ")
                    .append(r.applicable() ? (r.hasRun() ? "yes (has RUN)" : "yes") : "no: " + r.reason()).append(" | ")
                    .append(builds.getOrDefault(r.path(), r.applicable() ? "not tried" : "-").replace("|", "\\|")).append(" |\n");
        }
        md.append("\nBase images needed (Dockerfiles using each):\n\n");
        byBase.forEach((b, n) -> md.append("* `").append(b).append("`: ").append(n).append('\n'));
        BuildGolden.assertGolden(Path.of("docs/dockerfile-status.md"), md.toString());
        assertThat(applicable).isPositive();
    }
}
