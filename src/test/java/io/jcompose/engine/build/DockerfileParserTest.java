package io.jcompose.engine.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** build/parse/&lt;case&gt;/Dockerfile → expected.txt (the parsed instructions) or error.txt (the one-line error). */
class DockerfileParserTest {
    static Stream<Path> cases() throws Exception {
        return BuildGolden.cases("parse").stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void parses(Path dir) throws Exception {
        String text = Files.readString(dir.resolve("Dockerfile"));
        String actual;
        Path golden;
        try {
            actual = BuildGolden.dump(new DockerfileParser().parse("Dockerfile", text));
            golden = dir.resolve("expected.txt");
            assertThat(dir.resolve("error.txt")).doesNotExist();
        } catch (DockerfileException e) {
            actual = e.getMessage() + "\n";
            golden = dir.resolve("error.txt");
        }
        BuildGolden.assertGolden(golden, actual);
    }

    @Test
    void goDurations() {
        assertThat(DockerfileParser.parseGoDuration("1m30s")).contains(java.time.Duration.ofSeconds(90));
        assertThat(DockerfileParser.parseGoDuration("1.5s")).contains(java.time.Duration.ofMillis(1500));
        assertThat(DockerfileParser.parseGoDuration("30")).isEmpty();
        assertThat(DockerfileParser.parseGoDuration("")).isEmpty();
    }

    @Test
    void wordsKeepQuotesForLaterExpansion() {
        assertThat(DockerfileParser.parseWords("a=\"b c\" d='e\\ f' g\\ h", '\\'))
                .containsExactly("a=\"b c\"", "d='e\\ f'", "g\\ h");
    }

    @Test
    void builderFlagsStopAtFirstNonFlag() {
        Object[] r = DockerfileParser.extractBuilderFlags("--from=build --chown=\"1:2\" src -- dst");
        assertThat(r[0]).isEqualTo("src -- dst");
        assertThat(r[1]).isEqualTo(List.of("--from=build", "--chown=1:2"));
    }

    @Test
    void stageLookupByNameOrIndex() throws Exception {
        Dockerfile d = new DockerfileParser().parse("Dockerfile", "FROM a AS One\nFROM b\n");
        assertThat(d.stage("one")).map(Dockerfile.Stage::index).contains(0);
        assertThat(d.stage("1")).map(Dockerfile.Stage::index).contains(1);
        assertThat(d.stage("two")).isEmpty();
    }

    @Test
    void errorsNameTheFileAndLine() {
        assertThatThrownBy(() -> new DockerfileParser().parse("sub/Dockerfile.dev", "FROM a\n\nRUNN x\n"))
                .isInstanceOf(DockerfileException.class)
                .hasMessage("sub/Dockerfile.dev:3: unknown instruction \"RUNN\" (did you mean RUN?)");
    }
}
