package io.jcompose.project;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * src/test/resources/merge/&lt;case&gt;/: base.yaml, override.yaml (and override2.yaml …) merged in order must equal
 * expected.yaml (hand-written), or fail with the message in error.txt.
 */
class MergeCasesTest {
    static Stream<Path> cases() {
        return Trees.cases("merge");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void merges(Path dir) {
        List<Node> files = new ArrayList<>();
        files.add(Trees.read(dir.resolve("base.yaml")));
        files.add(Trees.read(dir.resolve("override.yaml")));
        for (int i = 2; Files.exists(dir.resolve("override" + i + ".yaml")); i++) files.add(Trees.read(dir.resolve("override" + i + ".yaml")));
        if (Files.exists(dir.resolve("error.txt"))) {
            assertThatThrownBy(() -> new Merger().merge(files))
                    .isInstanceOf(ComposeFileException.class)
                    .hasMessage(Trees.readString(dir.resolve("error.txt")));
            return;
        }
        Node merged = new Merger().merge(files);
        assertThat(Trees.plain(merged)).isEqualTo(Trees.plain(Trees.read(dir.resolve("expected.yaml"))));
        assertThat(Trees.untagged(merged)).as("no merge tags left").isTrue();
    }
}
