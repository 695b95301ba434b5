package io.jcompose.project;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/** Test helpers: Node trees as plain Java values (locations ignored), YAML fixtures, the reference corpus. */
final class Trees {
    private Trees() {}

    /** Mappings become maps (order-insensitive equality), sequences lists, scalars typed Java values. */
    static Object plain(Node n) {
        if (n instanceof Node.Mapping m) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Node.Entry e : m.entries()) out.put(e.name(), plain(e.value()));
            return out;
        }
        if (n instanceof Node.Seq s) {
            List<Object> out = new ArrayList<>();
            for (Node item : s.items()) out.add(plain(item));
            return out;
        }
        Node.Scalar s = (Node.Scalar) n;
        return switch (s.kind()) {
            case NULL -> null;
            case BOOL -> Boolean.parseBoolean(s.text().toLowerCase());
            case INT -> new BigInteger(s.text().replace("_", "")).longValue();
            case FLOAT -> Double.parseDouble(s.text());
            case STRING -> s.text();
        };
    }

    /** True when no node of the tree carries a merge tag. */
    static boolean untagged(Node n) {
        if (n.tag() != Node.Tag.NONE) return false;
        if (n instanceof Node.Seq s) return s.items().stream().allMatch(Trees::untagged);
        if (n instanceof Node.Mapping m) return m.entries().stream().allMatch(e -> untagged(e.value()));
        return true;
    }

    static Node yaml(String name, String text) {
        return new YamlReader().read(name, text);
    }

    static Node read(Path file) {
        try {
            return new YamlReader().read(file.getFileName().toString(), Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String readString(Path file) {
        try {
            return Files.readString(file).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The case directories of one data-driven stage: src/test/resources/&lt;stage&gt;/&lt;case&gt;/. */
    static Stream<Path> cases(String stage) {
        Path dir = Path.of("src/test/resources", stage);
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isDirectory).sorted().toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The shared reference corpus; skips the test when absent, except under CI=true where that is a failure. */
    static Path corpus() {
        String prop = System.getProperty("jcompose.corpus", "../shared/corpus");
        Path p = Path.of(prop);
        if (!Files.isDirectory(p)) {
            boolean ci = "true".equals(System.getenv("CI"));
            if (ci) throw new AssertionError("reference corpus not found at " + p.toAbsolutePath() + " (set -Djcompose.corpus)");
            Assumptions.assumeTrue(false, "reference corpus not found at " + p.toAbsolutePath() + " (set -Djcompose.corpus)");
        }
        return p.toAbsolutePath().normalize();
    }

    /** A ComposeFileSource reading files from disk with the YAML reader only (no interpolation), for include/extends tests. */
    static final class DiskSource implements ComposeFileSource {
        final List<Path> read = new ArrayList<>();
        IncludeResolver includes;
        List<List<Path>> includedFiles = new ArrayList<>();
        List<Path> includedDirs = new ArrayList<>();
        List<List<Path>> includedEnv = new ArrayList<>();

        @Override
        public Node readFile(Path file) {
            read.add(file);
            return read(file);
        }

        /** Loads the files merged (includes resolved by {@link #includes} if set), canonicalised as "demo"; env files via the KEY=VALUE stand-in. */
        @Override
        public Node loadIncluded(List<Path> files, Path projectDirectory, List<Path> envFiles) {
            includedFiles.add(files);
            includedDirs.add(projectDirectory);
            includedEnv.add(envFiles);
            List<Node> trees = new ArrayList<>();
            for (Path f : files) {
                Node t = read(f);
                if (includes != null) t = includes.resolve(t, f, this);
                trees.add(t);
            }
            Node merged = new Merger().merge(trees);
            return new Canonicalizer(CanonicalCasesTest::keyValueLines)
                    .canonicalize(merged, new CanonicalContext("demo", projectDirectory, k -> java.util.Optional.empty()), w -> { });
        }
    }
}
