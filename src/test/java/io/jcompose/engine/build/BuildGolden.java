package io.jcompose.engine.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Stream;

/** Data-driven cases under {@code src/test/resources/build/<stage>/<case>/}; {@code -Djcompose.updateGolden=true} rewrites expectations. */
final class BuildGolden {
    private BuildGolden() {}

    static List<Path> cases(String stage) throws IOException {
        Path dir = Paths.get(System.getProperty("jcompose.projectDir", "."), "src/test/resources/build", stage);
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isDirectory).sorted().toList();
        }
    }

    static void assertGolden(Path golden, String actual) throws IOException {
        if (Boolean.getBoolean("jcompose.updateGolden")) {
            // Goldens are reviewed by a person; CI must never rewrite what it checks.
            if ("true".equals(System.getenv("CI"))) throw new IllegalStateException("-Djcompose.updateGolden is refused under CI=true");
            Files.writeString(golden, actual, StandardCharsets.UTF_8);
            return;
        }
        assertThat(Files.exists(golden)).as(golden + " exists (run with -Djcompose.updateGolden=true to create it)").isTrue();
        assertThat(actual).as(golden.toString()).isEqualTo(Files.readString(golden, StandardCharsets.UTF_8));
    }

    /** A record's components except line and text, e.g. {@code RUN command=Command[args=[make], shellForm=true] …}. */
    static String dump(Instruction i) {
        StringBuilder b = new StringBuilder().append(i.line()).append(' ').append(i.keyword());
        for (RecordComponent c : i.getClass().getRecordComponents()) {
            if (c.getName().equals("line") || c.getName().equals("text")) continue;
            try {
                Object v = c.getAccessor().invoke(i);
                if (v instanceof java.util.Optional<?> o && o.isEmpty()) continue;
                if (v instanceof java.util.Collection<?> col && col.isEmpty()) continue;
                if (Boolean.FALSE.equals(v)) continue;
                b.append(' ').append(c.getName()).append('=').append(v);
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(e);
            }
        }
        return b.toString();
    }

    static String dump(Dockerfile d) {
        StringBuilder b = new StringBuilder();
        if (d.escape() != '\\') b.append("escape ").append(d.escape()).append('\n');
        for (String w : d.warnings()) b.append("warning ").append(w).append('\n');
        for (Instruction.Arg a : d.metaArgs()) b.append("meta ").append(dump(a)).append('\n');
        for (Dockerfile.Stage s : d.stages()) {
            b.append("stage ").append(s.index()).append(s.name().map(n -> " " + n).orElse("")).append('\n');
            b.append("  ").append(dump(s.from())).append('\n');
            for (Instruction i : s.commands()) b.append("  ").append(dump(i)).append('\n');
        }
        return b.toString();
    }
}
