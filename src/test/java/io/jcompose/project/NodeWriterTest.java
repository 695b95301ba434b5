package io.jcompose.project;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NodeWriterTest {
    private final YamlReader reader = new YamlReader();

    @Test
    void yamlSortedNameFirstSequencesIndented() {
        Node tree = reader.read("c.yaml", """
                services:
                  web:
                    ports:
                      - {target: 80, published: "8080", protocol: tcp}
                    image: nginx
                    command: [sh, -c, "echo hi"]
                    environment: {B: "true", A: "", C: null, D: "1.5", E: "a: b", F: "x #y"}
                    labels: {}
                name: demo
                """);
        assertThat(NodeWriter.yaml(tree)).isEqualTo("""
                name: demo
                services:
                  web:
                    command:
                      - sh
                      - -c
                      - echo hi
                    environment:
                      A: ""
                      B: "true"
                      C: null
                      D: "1.5"
                      E: "a: b"
                      F: "x #y"
                    image: nginx
                    labels: {}
                    ports:
                      - protocol: tcp
                        published: "8080"
                        target: 80
                """);
    }

    @Test
    void multiLineStringsAreLiteralBlocks() {
        Node tree = reader.read("c.yaml", "a: \"line1\\nline2\\n\"\nb: \"x\\ny\"\nc: [\"p\\nq\"]\nd: \"tab\\there\\n\"\n");
        assertThat(NodeWriter.yaml(tree)).isEqualTo("a: |\n  line1\n  line2\nb: |-\n  x\n  y\nc:\n  - |-\n    p\n    q\nd: \"tab\\there\\n\"\n");
    }

    @Test
    void yamlOutputReadsBackToTheSameTree() {
        String text = "name: n\nx:\n  - - a\n    - b\n  - {k: [1, 2.5, true, null, '0x1F', 'yes', '~', '-', '*a', '2024-01-01']}\n";
        Node tree = reader.read("c.yaml", text);
        String once = NodeWriter.yaml(tree);
        assertThat(NodeWriter.yaml(reader.read("out.yaml", once))).isEqualTo(once);
        assertThat(NodeWriter.json(reader.read("out.yaml", once))).isEqualTo(NodeWriter.json(tree));
    }

    @Test
    void numbersAndBooleansInComposeSpelling() {
        assertThat(NodeWriter.yaml(reader.read("c.yaml", "a: 0x1F\nb: 0o17\nc: +3\nd: True\ne: 1.5\n")))
                .isEqualTo("a: 31\nb: 15\nc: 3\nd: true\ne: 1.5\n");
    }

    @Test
    void jsonLikeGo() {
        Node tree = reader.read("c.yaml", "services:\n  web: {image: \"a<b>&c\", scale: 2, tty: true, x: null, e: {}, l: [], f: 0x1F}\nname: demo\n");
        assertThat(NodeWriter.json(tree)).isEqualTo("""
                {
                  "name": "demo",
                  "services": {
                    "web": {
                      "e": {},
                      "f": 31,
                      "image": "a\\u003cb\\u003e\\u0026c",
                      "l": [],
                      "scale": 2,
                      "tty": true,
                      "x": null
                    }
                  }
                }
                """);
    }
}
