package io.jcompose.runtime.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The build context tar the composer sends: .dockerignore rules (moby's patternmatcher), kept files, extras, long names. */
class ContextTarTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} with ''{1}'' -> excluded={2}")
    @CsvSource(delimiter = '|', value = {
            "node_modules/x/y.js | node_modules | true",
            "src/node_modules/x  | node_modules | false",
            "src/node_modules/x  | **/node_modules | true",
            "a.log               | *.log | true",
            "logs/a.log          | *.log | false",
            "logs/a.log          | **/*.log | true",
            "keep.log            | *.log\\n!keep.log | false",
            "build/out/app       | /build | true",
            "docs/a.md           | docs\\n!docs/a.md | false",
            "docs/b.md           | docs\\n!docs/a.md | true",
            "x1                  | x? | true",
            "x12                 | x? | false",
            "b.txt               | [a-c].txt | true",
            "d.txt               | [a-c].txt | false",
            "d.txt               | # d.txt | false",
            "dir/../d.txt        | d.txt | true"})
    void ignoreRules(String path, String rules, boolean excluded) {
        assertThat(ContextTar.Ignore.parse(rules.replace("\\n", "\n")).excludes(path)).isEqualTo(excluded);
    }

    @Test
    void tarHasWhatIsNotIgnoredSortedWithDockerfileAndExtras() throws Exception {
        Files.writeString(dir.resolve("Dockerfile"), "FROM busybox\n");
        Files.writeString(dir.resolve(".dockerignore"), "Dockerfile\n.dockerignore\nsecret*\ncache\n");
        Files.writeString(dir.resolve("secret.key"), "x");
        Files.createDirectories(dir.resolve("cache/deep"));
        Files.writeString(dir.resolve("cache/deep/f"), "x");
        String longName = "d/" + "n".repeat(120) + ".txt";
        Files.createDirectories(dir.resolve("d"));
        Files.writeString(dir.resolve(longName), "long");
        Files.createSymbolicLink(dir.resolve("link"), Path.of("Dockerfile"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ContextTar.write(dir, List.of("Dockerfile"), List.of(new ContextTar.Extra(".inline", "FROM x\n".getBytes(StandardCharsets.UTF_8))), out);

        Map<String, String> entries = new TreeMap<>();
        List<String> order = new ArrayList<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(out.toByteArray()))) {
            TarArchiveEntry e;
            while ((e = in.getNextEntry()) != null) {
                order.add(e.getName());
                entries.put(e.getName(), e.isSymbolicLink() ? "-> " + e.getLinkName()
                        : e.isDirectory() ? "dir" : new String(in.readAllBytes(), StandardCharsets.UTF_8));
                assertThat(e.getLongUserId()).isZero();
            }
        }
        assertThat(entries).containsOnlyKeys(".dockerignore", "Dockerfile", "d/", longName, "link", ".inline");
        assertThat(entries).containsEntry(longName, "long").containsEntry("link", "-> Dockerfile").containsEntry(".inline", "FROM x\n");
        assertThat(order).containsExactly(".dockerignore", "Dockerfile", "d/", longName, "link", ".inline");
    }
}
