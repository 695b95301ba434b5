package io.jcompose.project;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

class YamlReaderTest {
    private final YamlReader reader = new YamlReader();

    private Node.Mapping read(String text) {
        return (Node.Mapping) reader.read("compose.yaml", text);
    }

    private static Node.Mapping map(Node n, String key) {
        return (Node.Mapping) ((Node.Mapping) n).get(key).orElseThrow();
    }

    private static Node.Scalar scalar(Node n, String key) {
        return (Node.Scalar) ((Node.Mapping) n).get(key).orElseThrow();
    }

    @Test
    void keepsLocationsAndKinds() {
        Node.Mapping root = read("services:\n  web:\n    image: nginx\n    scale: 2\n    tty: true\n    x: ~\n    q: \"2\"\n");
        Node.Mapping web = map(map(root, "services"), "web");
        assertThat(scalar(web, "image").location()).isEqualTo(new Location("compose.yaml", 3, 12));
        assertThat(web.entry("image").orElseThrow().key().location()).isEqualTo(new Location("compose.yaml", 3, 5));
        assertThat(scalar(web, "scale").kind()).isEqualTo(Node.Kind.INT);
        assertThat(scalar(web, "tty").kind()).isEqualTo(Node.Kind.BOOL);
        assertThat(scalar(web, "x").kind()).isEqualTo(Node.Kind.NULL);
        assertThat(scalar(web, "q").kind()).isEqualTo(Node.Kind.STRING);
    }

    @Test
    void duplicateKeyNamesBothLines() {
        assertThatThrownBy(() -> read("services:\n  web:\n    image: a\n    ports: []\n    image: b\n"))
                .isInstanceOf(ComposeFileException.class)
                .hasMessage("compose.yaml:5:5: services.web: duplicate key \"image\" (first at line 3)");
    }

    @Test
    void mergeKeysSingleAndListExplicitWins() {
        Node.Mapping root = read("""
                x-a: &a {image: a, tty: true, user: u1}
                x-b: &b {image: b, user: u2, init: true}
                services:
                  one:
                    <<: *a
                    image: mine
                  two:
                    <<: [*a, *b]
                """);
        Node.Mapping one = map(map(root, "services"), "one");
        assertThat(one.keys()).containsExactly("image", "tty", "user");
        assertThat(scalar(one, "image").text()).isEqualTo("mine");
        Node.Mapping two = map(map(root, "services"), "two");
        assertThat(scalar(two, "image").text()).isEqualTo("a");
        assertThat(scalar(two, "user").text()).isEqualTo("u1");
        assertThat(scalar(two, "init").text()).isEqualTo("true");
        assertThat(two.keys()).doesNotContain("<<");
    }

    @Test
    void mergeOfAScalarIsLocatedError() {
        assertThatThrownBy(() -> read("a:\n  <<: 3\n"))
                .hasMessage("compose.yaml:2:7: a.<<: merge key << takes a mapping or a list of mappings, got an integer");
    }

    @Test
    void anchorsAndAliasesShareValues() {
        Node.Mapping root = read("x: &v [1, 2]\ny: *v\n");
        assertThat(root.get("y").orElseThrow()).isEqualTo(root.get("x").orElseThrow());
    }

    @Test
    void resetAndOverrideTagsAreKept() {
        Node.Mapping root = read("services:\n  web:\n    ports: !reset []\n    environment: !override\n      A: b\n");
        Node.Mapping web = map(map(root, "services"), "web");
        assertThat(web.get("ports").orElseThrow().tag()).isEqualTo(Node.Tag.RESET);
        assertThat(web.get("environment").orElseThrow().tag()).isEqualTo(Node.Tag.OVERRIDE);
        assertThat(read("a: !reset null\n").get("a").orElseThrow()).isInstanceOfSatisfying(Node.Scalar.class,
                s -> assertThat(s.isNull()).isTrue());
    }

    @Test
    void emptyDocumentIsEmptyMapping() {
        assertThat(read("# nothing\n").entries()).isEmpty();
    }

    @Test
    void syntaxErrorIsLocated() {
        assertThatThrownBy(() -> read("services:\n  web:\n    image: [a\n"))
                .isInstanceOf(ComposeFileException.class)
                .hasMessageStartingWith("compose.yaml:").hasMessageContaining("invalid YAML");
    }

    @Test
    void billionLaughsHitsTheNodeBudget() {
        StringBuilder sb = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for (int i = 1; i < 12; i++) {
            sb.append("a").append(i).append(": &a").append(i).append(" [");
            for (int j = 0; j < 10; j++) sb.append(j == 0 ? "" : ", ").append("*a").append(i - 1);
            sb.append("]\n");
        }
        String text = sb.toString();
        Assertions.assertTimeoutPreemptively(Duration.ofSeconds(5), () ->
                assertThatThrownBy(() -> read(text)).isInstanceOf(ComposeFileException.class)
                        .hasMessageContaining("more than 1000000 nodes"));
    }

    @Test
    void aliasCountIsLimited() {
        YamlReader small = new YamlReader(new YamlReader.Limits(1000, 50, 2, 1000));
        assertThatThrownBy(() -> small.read("f.yaml", "a: &a [1]\nb: *a\nc: *a\nd: *a\n"))
                .hasMessage("f.yaml:4:4: d: more than 2 aliases to collections; simplify the anchors");
    }

    @Test
    void deepNestingIsRejectedWithoutStackOverflow() {
        String deep = "a: " + "[".repeat(100_000) + "]".repeat(100_000) + "\n";
        assertThatThrownBy(() -> read(deep)).isInstanceOf(ComposeFileException.class)
                .hasMessageContaining("nesting deeper than 256 levels");
    }

    @Test
    void fileSizeIsLimited() {
        YamlReader small = new YamlReader(new YamlReader.Limits(10, 50, 2, 1000));
        assertThatThrownBy(() -> small.read("f.yaml", "image: 0123456789\n"))
                .hasMessageStartingWith("f.yaml:1:1: file too large");
    }

    @Test
    void recursiveAliasIsRejected() {
        assertThatThrownBy(() -> read("a: &a [*a]\n")).isInstanceOf(ComposeFileException.class)
                .hasMessageContaining("refers to its own anchor");
    }

    @Test
    void unknownAliasIsLocated() {
        assertThatThrownBy(() -> read("a: *nope\n")).isInstanceOf(ComposeFileException.class)
                .hasMessageStartingWith("compose.yaml:1:4");
    }

    @Test
    void multipleDocumentsAreRejected() {
        assertThatThrownBy(() -> read("a: 1\n---\nb: 2\n")).hasMessageContaining("more than one YAML document");
    }
}
