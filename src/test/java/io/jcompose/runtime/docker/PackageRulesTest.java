package io.jcompose.runtime.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The design's one-way package rules for the packages this client owns: runtime and graph use the JDK only;
 * runtime.docker may add Jackson but never JNR (it is on the CLI's start-up path) nor the engine.
 */
class PackageRulesTest {
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?([\\w.]+)", Pattern.MULTILINE);

    @ParameterizedTest
    @CsvSource({
            "io/jcompose/runtime,java.|javax.|io.jcompose.runtime.",
            "io/jcompose/graph,java.|io.jcompose.graph.",
            "io/jcompose/runtime/docker,java.|javax.|io.jcompose.runtime.|com.fasterxml.jackson."})
    void importsStayInsideTheAllowedSet(String dir, String allowed) throws IOException {
        Path root = Path.of(System.getProperty("jcompose.projectDir", "."), "src/main/java", dir);
        List<String> prefixes = List.of(allowed.split("\\|"));
        List<Path> files;
        try (Stream<Path> s = Files.list(root)) {
            files = s.filter(p -> p.toString().endsWith(".java")).toList();
        }
        assertThat(files).isNotEmpty();
        for (Path f : files) {
            Matcher m = IMPORT.matcher(Files.readString(f));
            while (m.find()) {
                String imp = m.group(1);
                assertThat(prefixes).as(f.getFileName() + " imports " + imp).anyMatch(imp::startsWith);
            }
        }
    }
}
