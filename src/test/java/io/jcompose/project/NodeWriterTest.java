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
    void composeOrderFollowsComposeGoStructsAndSortsMaps() {
        Node tree = reader.read("c.yaml", """
                volumes: {data: {labels: {b: "1", a: "2"}, driver: local}}
                networks: {front: {name: p_front, ipam: {config: [{gateway: 10.0.0.1, subnet: 10.0.0.0/24}]}}}
                services:
                  web:
                    x-note: last
                    ports:
                      - {target: 80, published: "8080", protocol: tcp, mode: ingress}
                    image: nginx
                    environment: {B: "1", A: "2"}
                    build: {dockerfile: Dockerfile, context: /src}
                    healthcheck: {interval: 1s, test: [CMD, "true"], timeout: 2s}
                    depends_on: {db: {required: true, condition: service_started}}
                  db:
                    image: postgres
                name: p
                """);
        assertThat(NodeWriter.composeYaml(tree)).isEqualTo("""
                name: p
                services:
                  db:
                    image: postgres
                  web:
                    build:
                      context: /src
                      dockerfile: Dockerfile
                    depends_on:
                      db:
                        condition: service_started
                        required: true
                    environment:
                      A: "2"
                      B: "1"
                    healthcheck:
                      test:
                        - CMD
                        - "true"
                      timeout: 2s
                      interval: 1s
                    image: nginx
                    ports:
                      - mode: ingress
                        target: 80
                        published: "8080"
                        protocol: tcp
                    x-note: last
                networks:
                  front:
                    name: p_front
                    ipam:
                      config:
                        - subnet: 10.0.0.0/24
                          gateway: 10.0.0.1
                volumes:
                  data:
                    driver: local
                    labels:
                      a: "2"
                      b: "1"
                """);
        assertThat(NodeWriter.composeJson(tree)).startsWith("{\n  \"name\": \"p\",\n  \"services\": {\n");
    }

    @Test
    void inOrderKeepsTheBuiltOrder() {
        Node tree = reader.read("c.yaml", "PORT: {Name: PORT, DefaultValue: \"8080\", Required: false}\n");
        assertThat(NodeWriter.jsonInOrder(tree)).isEqualTo(
                "{\n  \"PORT\": {\n    \"Name\": \"PORT\",\n    \"DefaultValue\": \"8080\",\n    \"Required\": false\n  }\n}\n");
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
