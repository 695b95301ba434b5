package io.jcompose.project;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** include: short and long syntax, the included project's directory and env files, conflicts, cycles. */
class IncludeResolverTest {
    private final IncludeResolver resolver = new IncludeResolver();

    @SuppressWarnings("unchecked")
    private static Map<String, Object> section(Object tree, String name) {
        return (Map<String, Object>) ((Map<String, Object>) tree).get(name);
    }

    @Test
    void includedServicesJoinTheIncludingFilesOwn() {
        Path testdata = Trees.corpus().resolve("compose-go/loader/testdata");
        Path file = testdata.resolve("compose-include.yaml");
        Trees.DiskSource source = new Trees.DiskSource();
        Object tree = Trees.plain(resolver.resolve(Trees.read(file), file, source));
        assertThat(((Map<?, ?>) tree).containsKey("include")).isFalse();
        assertThat(section(tree, "services")).containsOnlyKeys("bar", "imported");
        assertThat(source.includedFiles).containsExactly(List.of(testdata.resolve("subdir/compose-test-extends-imported.yaml")));
        assertThat(source.includedDirs).containsExactly(testdata.resolve("subdir"));
        @SuppressWarnings("unchecked")
        Map<String, Object> imported = (Map<String, Object>) section(tree, "services").get("imported");
        assertThat(imported).containsEntry("environment", Map.of("SOURCE", "extends"));
    }

    @Test
    void projectDirectoryDecidesWhereTheIncludedPathsPoint() {
        Path testdata = Trees.corpus().resolve("compose-go/loader/testdata");
        Path file = testdata.resolve("include/project-directory.yaml");
        Trees.DiskSource source = new Trees.DiskSource();
        Object tree = Trees.plain(resolver.resolve(Trees.read(file), file, source));
        assertThat(source.includedFiles).containsExactly(List.of(testdata.resolve("include/dir/compose.yaml")));
        assertThat(source.includedDirs).containsExactly(testdata.resolve("subdir"));
        @SuppressWarnings("unchecked")
        Map<String, Object> service = (Map<String, Object>) section(tree, "services").get("service");
        assertThat(service.get("volumes").toString()).contains("source=" + testdata.resolve("subdir/compose-test-extends-imported.yaml"));
        assertThat(service).containsEntry("environment", Map.of("SOURCE", "extends"));
    }

    @Test
    void includingItselfIsALocatedCycle() {
        Path file = Trees.corpus().resolve("compose-go/loader/testdata/compose-include-cycle.yaml");
        assertThatThrownBy(() -> resolver.resolve(Trees.read(file), file, new Trees.DiskSource()))
                .isInstanceOf(ComposeFileException.class)
                .hasMessage("compose-include-cycle.yaml:2:5: include[0]: include cycle: compose-include-cycle.yaml -> compose-include-cycle.yaml");
    }

    @Test
    void cycleThroughAnotherFileIsFound(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("a.yaml"), "include:\n  - b.yaml\nservices:\n  a: {image: a}\n");
        Files.writeString(dir.resolve("b.yaml"), "include:\n  - path: a.yaml\nservices:\n  b: {image: b}\n");
        Trees.DiskSource source = new Trees.DiskSource();
        source.includes = resolver;
        Path a = dir.resolve("a.yaml");
        assertThatThrownBy(() -> resolver.resolve(Trees.read(a), a, source))
                .hasMessage("b.yaml:2:5: include[0]: include cycle: a.yaml -> b.yaml -> a.yaml");
    }

    @Test
    void aResourceDefinedOnBothSidesIsAConflict(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("other.yaml"), "services:\n  web: {image: b}\n");
        Path file = dir.resolve("compose.yaml");
        Files.writeString(file, "include:\n  - other.yaml\nservices:\n  web:\n    image: a\n");
        assertThatThrownBy(() -> resolver.resolve(Trees.read(file), file, new Trees.DiskSource()))
                .hasMessage("compose.yaml:4:3: services.web: conflicts with the service \"web\" imported from " + dir.resolve("other.yaml")
                        + "; rename one of them, or customise the included one with an override file in include's path list");
    }

    @Test
    void longSyntaxPassesPathsProjectDirectoryAndEnvFiles(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("sub"));
        Files.writeString(dir.resolve("sub/base.yaml"), "services:\n  db:\n    image: pg\n    volumes: [./data:/data]\nvolumes:\n  cache: {}\n");
        Files.writeString(dir.resolve("sub/override.yaml"), "services:\n  db:\n    image: pg:16\n");
        Files.writeString(dir.resolve("custom.env"), "X=1\n");
        Path file = dir.resolve("compose.yaml");
        Files.writeString(file, """
                include:
                  - path: [sub/base.yaml, sub/override.yaml]
                    project_directory: .
                    env_file: custom.env
                services:
                  web: {image: web, depends_on: [db]}
                """);
        Trees.DiskSource source = new Trees.DiskSource();
        Object tree = Trees.plain(resolver.resolve(Trees.read(file), file, source));
        assertThat(source.includedFiles).containsExactly(List.of(dir.resolve("sub/base.yaml"), dir.resolve("sub/override.yaml")));
        assertThat(source.includedDirs).containsExactly(dir);
        assertThat(source.includedEnv).containsExactly(List.of(dir.resolve("custom.env")));
        assertThat(section(tree, "services")).containsOnlyKeys("web", "db");
        assertThat(section(tree, "services").get("db").toString()).contains("image=pg:16", "source=" + dir.resolve("data"));
        assertThat(section(tree, "volumes")).containsOnlyKeys("cache");
    }

    @Test
    void shortSyntaxUsesTheIncludedFilesDirectoryAndItsDotEnv(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("lib"));
        Files.writeString(dir.resolve("lib/compose.yaml"), "services:\n  lib: {image: lib}\n");
        Files.writeString(dir.resolve("lib/.env"), "Y=2\n");
        Path file = dir.resolve("compose.yaml");
        Files.writeString(file, "include:\n  - lib/compose.yaml\n");
        Trees.DiskSource source = new Trees.DiskSource();
        Object tree = Trees.plain(resolver.resolve(Trees.read(file), file, source));
        assertThat(source.includedDirs).containsExactly(dir.resolve("lib"));
        assertThat(source.includedEnv).containsExactly(List.of(dir.resolve("lib/.env")));
        assertThat(section(tree, "services")).containsOnlyKeys("lib");
    }

    @Test
    void envFileOfTheIncludeIsRelativeToTheIncludingFile() {
        Path dir = Trees.corpus().resolve("e2e/fixtures/env-secret");
        Path file = dir.resolve("compose.yaml");
        Trees.DiskSource source = new Trees.DiskSource();
        Object tree = Trees.plain(resolver.resolve(Trees.read(file), file, source));
        assertThat(source.includedDirs).containsExactly(dir.resolve("child"));
        assertThat(source.includedEnv).containsExactly(List.of(dir.resolve("secret.env")));
        assertThat(section(tree, "services")).containsOnlyKeys("foo", "included");
        assertThat(section(tree, "secrets")).containsOnlyKeys("secret", "my-secret");
        assertThat(section(tree, "secrets").get("my-secret")).isEqualTo(Map.of("name", "demo_my-secret", "environment", "MY_SECRET"));
    }
}
