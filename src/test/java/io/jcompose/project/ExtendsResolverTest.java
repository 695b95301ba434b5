package io.jcompose.project;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** extends: same file, other files (paths relative to them), chains, !reset, cycles, unknown services. */
class ExtendsResolverTest {
    private final ExtendsResolver resolver = new ExtendsResolver();

    private Object resolveCorpus(String relative) {
        Path file = Trees.corpus().resolve("compose-go/loader/testdata").resolve(relative);
        return Trees.plain(resolver.resolve(Trees.read(file), file, new Trees.DiskSource()));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> service(Object tree, String name) {
        return (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) tree).get("services")).get(name);
    }

    @Test
    void extendsAServiceOfTheSameFileAndOneOfASiblingFile() {
        Path dir = Trees.corpus().resolve("compose-go/loader/testdata/extends");
        Object tree = resolveCorpus("extends/base.yaml");
        assertThat(service(tree, "another")).isEqualTo(Map.of("image", "base"));
        // sibling.yaml says `build: .`: relative to sibling.yaml's directory, not to the extending file.
        assertThat(service(tree, "with-build")).isEqualTo(Map.of("build", dir.toString()));
        assertThat(service(tree, "base")).isEqualTo(Map.of("image", "base"));
        assertThat(((Map<?, ?>) ((Map<?, ?>) tree).get("services")).containsKey("nil")).isTrue();
    }

    @Test
    void chainsAcrossDirectoriesResolveEachFileAgainstItsOwnDirectory() {
        assertThat(service(resolveCorpus("extends/withdir/compose.yaml"), "test")).isEqualTo(Map.of("image", "hello-world"));
    }

    @Test
    void resetInTheExtendingServiceRemovesTheInheritedValue() {
        Path file = Trees.corpus().resolve("compose-go/loader/testdata/extends/reset.yaml");
        Node resolved = resolver.resolve(Trees.read(file), file, new Trees.DiskSource());
        // The reset tag stays for the -f merge that follows; after it, no command is left.
        Object merged = Trees.plain(new Merger().merge(List.of(resolved)));
        assertThat(service(merged, "base")).isEqualTo(Map.of("image", "alpine:latest"));
    }

    @Test
    void importedServiceKeepsItsEnvFileRelativeToItsOwnFile() {
        Path subdir = Trees.corpus().resolve("compose-go/loader/testdata/subdir");
        Map<String, Object> importer = service(resolveCorpus("compose-test-extends.yaml"), "importer");
        assertThat(importer).containsEntry("image", "nginx")
                .containsEntry("env_file", List.of(subdir.resolve("extra.env").toString()))
                .containsEntry("volumes", List.of("/opt/data:/var/lib/mysql"))
                .doesNotContainKey("extends");
    }

    @Test
    void extendingMergesWithTheComposeRules() {
        Node tree = Trees.yaml("compose.yaml", """
                services:
                  base:
                    image: app
                    ports: ["8080:80"]
                    environment: [A=1, B=2]
                    command: [run, base]
                  web:
                    extends: base
                    ports: ["8080:80", "9090:90"]
                    environment: {B: 3}
                    command: [run, web]
                """);
        Object out = Trees.plain(resolver.resolve(tree, Path.of("/p/compose.yaml"), new Trees.DiskSource()));
        assertThat(service(out, "web")).isEqualTo(Map.of(
                "image", "app",
                "ports", List.of("8080:80", "9090:90"),
                "environment", Map.of("A", "1", "B", 3L),
                "command", List.of("run", "web")));
    }

    @Test
    void cycleIsALocatedError() {
        Node tree = Trees.yaml("compose.yaml", """
                services:
                  a:
                    image: x
                    extends: b
                  b:
                    extends:
                      service: a
                """);
        assertThatThrownBy(() -> resolver.resolve(tree, Path.of("/p/compose.yaml"), new Trees.DiskSource()))
                .isInstanceOf(ComposeFileException.class)
                .hasMessage("compose.yaml:4:14: services.a.extends: extends cycle: a -> b -> a");
    }

    @Test
    void selfExtensionIsACycle() {
        Node tree = Trees.yaml("compose.yaml", """
                services:
                  a:
                    extends: a
                """);
        assertThatThrownBy(() -> resolver.resolve(tree, Path.of("/p/compose.yaml"), new Trees.DiskSource()))
                .hasMessage("compose.yaml:3:14: services.a.extends: extends cycle: a -> a");
    }

    @Test
    void unknownServiceIsALocatedError() {
        Node tree = Trees.yaml("compose.yaml", """
                services:
                  web:
                    extends:
                      service: nope
                  db:
                    image: pg
                """);
        assertThatThrownBy(() -> resolver.resolve(tree, Path.of("/p/compose.yaml"), new Trees.DiskSource()))
                .hasMessage("compose.yaml:4:16: services.web.extends.service: service \"nope\" not found in compose.yaml (defined: web, db)");
    }

    @Test
    void unknownServiceInAnotherFileNamesThatFile() {
        Path file = Trees.corpus().resolve("compose-go/loader/testdata/compose.yaml");
        Node tree = Trees.yaml("compose.yaml", """
                services:
                  web:
                    extends:
                      file: extends/sibling.yaml
                      service: nope
                """);
        assertThatThrownBy(() -> resolver.resolve(tree, file, new Trees.DiskSource()))
                .hasMessage("compose.yaml:5:16: services.web.extends.service: service \"nope\" not found in sibling.yaml (defined: test)");
    }

    @Test
    void resetInAnExtendingOverrideFileAlsoResetsTheEarlierFile() {
        Node base = Trees.yaml("base.yaml", """
                services:
                  web:
                    image: web
                    ports: ["80:80"]
                    labels: {a: "1"}
                """);
        Node override = resolver.resolve(Trees.yaml("override.yaml", """
                services:
                  common:
                    image: common
                    labels: {b: "2"}
                  web:
                    extends: common
                    ports: !reset []
                    labels: !override {c: "3"}
                """), Path.of("/p/override.yaml"), new Trees.DiskSource());
        Node merged = new Merger().merge(List.of(base, override));
        // !override replaces both the extended service's labels and the earlier file's.
        assertThat(service(Trees.plain(merged), "web")).isEqualTo(Map.of("image", "common", "labels", Map.of("c", "3")));
        assertThat(Trees.untagged(merged)).isTrue();
    }
}
