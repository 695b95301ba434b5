package io.jcompose;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The package table of docs/architecture.md, enforced: each package may import only the packages listed for it
 * (and itself, the JDK, and the third-party libraries it names). {@code runtime.docker} and {@code engine.*}
 * meet only over HTTP.
 */
class ArchitectureTest {
    private static final Path SRC = Path.of("src/main/java/io/jcompose");

    /** Package (relative to io.jcompose) → project packages it may import. "" is the root package. */
    private static final Map<String, Set<String>> ALLOWED = Map.ofEntries(
            Map.entry("cli", Set.of("project", "model", "reconcile", "runtime", "graph", "engine", "runtime.docker")),
            Map.entry("project", Set.of("model")),
            Map.entry("model", Set.of()),
            Map.entry("graph", Set.of()),
            Map.entry("reconcile", Set.of("model", "graph", "runtime")),
            Map.entry("runtime", Set.of()),
            Map.entry("runtime.docker", Set.of("runtime")),
            Map.entry("engine", Set.of("engine.api", "engine.image", "engine.build", "engine.snapshot", "engine.network",
                    "engine.volume", "engine.container", "engine.state")),
            Map.entry("engine.api", Set.of("engine", "engine.image", "engine.build", "engine.snapshot", "engine.network",
                    "engine.volume", "engine.container", "engine.state")),
            Map.entry("engine.image", Set.of("engine.state", "engine.snapshot")),
            Map.entry("engine.build", Set.of("engine.image", "engine.snapshot", "engine.container", "engine.network", "engine.state")),
            Map.entry("engine.snapshot", Set.of("engine.state")),
            Map.entry("engine.network", Set.of("engine.state")),
            Map.entry("engine.volume", Set.of("engine.state", "engine.image", "engine.snapshot")),
            Map.entry("engine.container", Set.of("engine.state", "engine.image", "engine.snapshot", "engine.network", "engine.volume")),
            Map.entry("engine.state", Set.of()));

    /** Third-party code each package may use; the JDK is always allowed. */
    private static final Map<String, Set<String>> LIBRARIES = Map.ofEntries(
            Map.entry("cli", Set.of("picocli")),
            Map.entry("project", Set.of("org.snakeyaml", "com.fasterxml.jackson", "com.networknt")),
            Map.entry("runtime.docker", Set.of("com.fasterxml.jackson")),
            Map.entry("engine", Set.of("com.fasterxml.jackson", "jnr")),
            Map.entry("engine.api", Set.of("com.fasterxml.jackson", "jnr")),
            Map.entry("engine.image", Set.of("com.fasterxml.jackson", "org.apache.commons.compress", "jnr")),
            Map.entry("engine.build", Set.of("com.fasterxml.jackson", "org.apache.commons.compress", "jnr")),
            Map.entry("engine.snapshot", Set.of("com.fasterxml.jackson", "jnr")),
            Map.entry("engine.network", Set.of("com.fasterxml.jackson", "jnr")),
            Map.entry("engine.volume", Set.of("com.fasterxml.jackson", "jnr")),
            Map.entry("engine.container", Set.of("com.fasterxml.jackson", "org.apache.commons.compress", "jnr")),
            Map.entry("engine.state", Set.of("com.fasterxml.jackson")));

    private static final Pattern IMPORT = Pattern.compile("^import\\s+(?:static\\s+)?([\\w.]+)", Pattern.MULTILINE);
    private static final Pattern FQN_USE = Pattern.compile("\\bio\\.jcompose\\.([a-z][\\w.]*?)\\.[A-Z]");

    @Test
    void packagesImportOnlyWhatTheTableAllows() throws IOException {
        List<String> violations = new ArrayList<>();
        try (Stream<Path> files = Files.walk(SRC)) {
            files.filter(f -> f.toString().endsWith(".java")).forEach(f -> check(f, violations));
        }
        assertThat(violations).isEmpty();
    }

    private static void check(Path file, List<String> violations) {
        String pkg = SRC.relativize(file.getParent()).toString().replace('/', '.');
        if (pkg.isEmpty()) return; // Main, the composition root, may use everything.
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Set<String> allowed = ALLOWED.get(pkg);
        if (allowed == null) {
            violations.add(file + ": package io.jcompose." + pkg + " is not in the table; add it to docs/architecture.md and this test");
            return;
        }
        Matcher m = IMPORT.matcher(text);
        while (m.find()) {
            String imp = m.group(1);
            if (imp.startsWith("io.jcompose.")) {
                String target = targetPackage(imp.substring("io.jcompose.".length()));
                if (!target.equals(pkg) && !allowed.contains(target)) violations.add(file + ": imports " + imp);
            } else if (!imp.startsWith("java.") && !imp.startsWith("javax.") && !imp.startsWith("jdk.") && !imp.startsWith("sun.")) {
                boolean ok = LIBRARIES.getOrDefault(pkg, Set.of()).stream().anyMatch(imp::startsWith);
                if (!ok) violations.add(file + ": uses library " + imp);
            }
        }
        Matcher q = FQN_USE.matcher(text.replaceAll("(?m)^(package|import) .*$", ""));
        while (q.find()) {
            String target = q.group(1);
            if (!target.equals(pkg) && !allowed.contains(target)) violations.add(file + ": refers to io.jcompose." + target);
        }
    }

    /** "engine.image.ImageStore" → "engine.image"; "project.Node.Scalar" → "project". */
    private static String targetPackage(String rest) {
        String[] parts = rest.split("\\.");
        StringBuilder sb = new StringBuilder();
        for (String p : parts) {
            if (!p.isEmpty() && Character.isUpperCase(p.charAt(0))) break;
            if (sb.length() > 0) sb.append('.');
            sb.append(p);
        }
        return sb.toString();
    }
}
