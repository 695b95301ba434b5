package io.jcompose.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistrySettingsTest {
    @TempDir Path root;

    @Test
    void absentFileMeansNoMirrors() throws IOException {
        assertThat(RegistrySettings.load(root)).isEqualTo(RegistrySettings.NONE);
    }

    @Test
    void fileWithMapOrDockerdListAndFlagsAdd() throws IOException {
        Files.writeString(root.resolve("engine.json"), """
                {"registry-mirrors": {"docker.io": ["http://127.0.0.1:5000"], "ghcr.io": "https://m.lan"},
                 "insecure-registries": ["reg.lan:5000"], "max-concurrent-downloads": 5}""");
        RegistrySettings s = RegistrySettings.load(root)
                .plus(RegistrySettings.fromFlags(List.of("docker.io=http://127.0.0.1:6000", "https://hub.lan"), List.of("other:1")));
        assertThat(s.mirrors().get("docker.io")).containsExactly(URI.create("http://127.0.0.1:5000"),
                URI.create("http://127.0.0.1:6000"), URI.create("https://hub.lan"));
        assertThat(s.mirrors().get("ghcr.io")).containsExactly(URI.create("https://m.lan"));
        assertThat(s.insecure()).containsExactly("other:1", "reg.lan:5000");
        assertThat(s.toRegistryConfig().maxConcurrentDownloads()).isEqualTo(5);
        assertThat(s.toRegistryConfig().allowsPlainHttp("reg.lan:5000")).isTrue();

        Files.writeString(root.resolve("engine.json"), "{\"registry-mirrors\": [\"http://127.0.0.1:5000\"]}");
        assertThat(RegistrySettings.load(root).mirrors()).containsOnlyKeys("docker.io");
    }

    @Test
    void badFileSaysWhereAndWhat() throws IOException {
        Files.writeString(root.resolve("engine.json"), "{\"registry-mirrors\": [\"127.0.0.1:5000\"]}");
        assertThatThrownBy(() -> RegistrySettings.load(root)).hasMessageContaining("engine.json").hasMessageContaining("needs a scheme");
        Files.writeString(root.resolve("engine.json"), "{nope");
        assertThatThrownBy(() -> RegistrySettings.load(root)).hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> RegistrySettings.fromFlags(List.of("docker.io=ftp://x"), List.of())).hasMessageContaining("http");
    }
}
