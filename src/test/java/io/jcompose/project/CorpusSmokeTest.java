package io.jcompose.project;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every real-world sample stack (corpus/awesome) goes through merge and canonicalisation without error, and its
 * canonical form is a fixed point with only long syntax left (ports and volumes as mappings, depends_on a mapping).
 * Files with ${…} are skipped: without the interpolation stage their values are not final.
 */
class CorpusSmokeTest {
    @Test
    void awesomeStacksCanonicalise() throws IOException {
        Path awesome = Trees.corpus().resolve("awesome");
        List<Path> files;
        try (Stream<Path> s = Files.walk(awesome)) {
            files = s.filter(p -> p.getFileName().toString().matches("(docker-)?compose.*\\.ya?ml")).sorted().toList();
        }
        assertThat(files).isNotEmpty();
        List<String> checked = new ArrayList<>();
        for (Path f : files) {
            if (Files.readString(f).contains("${")) continue;
            Node tree = new ExtendsResolver().resolve(Trees.read(f), f, new Trees.DiskSource());
            Node merged = new Merger().merge(List.of(tree));
            CanonicalContext ctx = new CanonicalContext("smoke", f.getParent(), k -> Optional.empty());
            Canonicalizer c = new Canonicalizer((file, text, lookup) -> Map.of());
            Node out = c.canonicalize(merged, ctx, w -> { });
            assertThat(Trees.plain(c.canonicalize(out, ctx, w -> { }))).as(f.toString()).isEqualTo(Trees.plain(out));
            Node.Mapping services = (Node.Mapping) ((Node.Mapping) out).get("services").orElseThrow();
            for (Node.Entry s : services.entries()) {
                for (String key : List.of("ports", "volumes")) {
                    Nodes.get(s.value(), key).ifPresent(list -> assertThat(((Node.Seq) list).items())
                            .as(f + ": services." + s.name() + "." + key).allMatch(i -> i instanceof Node.Mapping));
                }
                Nodes.get(s.value(), "depends_on").ifPresent(d -> assertThat(d).isInstanceOf(Node.Mapping.class));
            }
            checked.add(awesome.relativize(f).toString());
        }
        assertThat(checked).hasSizeGreaterThan(5);
    }
}
