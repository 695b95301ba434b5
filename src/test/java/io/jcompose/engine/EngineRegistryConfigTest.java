package io.jcompose.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jcompose.testing.TestFiles;
import io.jcompose.testing.UnixHttp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code <root>/engine.json} and the registry flags reach the engine's registry client (seen through /info). */
class EngineRegistryConfigTest {
    Path root;

    @BeforeEach
    void root() throws IOException {
        root = Files.createTempDirectory(Path.of("/tmp"), "jc-cfg-"); // short: the socket lives inside
    }

    @AfterEach
    void clean() {
        TestFiles.deleteTree(root, Path.of("/tmp"));
    }

    private EngineConfig config(RegistrySettings flags) {
        return new EngineConfig(root, root.resolve("e.sock"), Optional.empty(), "error", false, Duration.ofSeconds(1), flags);
    }

    @Test
    void fileAndFlagsShowInInfo() throws IOException {
        Files.writeString(root.resolve("engine.json"),
                "{\"registry-mirrors\": [\"http://127.0.0.1:5000\"], \"insecure-registries\": [\"reg.lan:5000\"]}");
        try (Engine e = Engine.start(config(RegistrySettings.fromFlags(List.of("docker.io=http://127.0.0.1:6000"), List.of())))) {
            JsonNode info = new ObjectMapper().readTree(UnixHttp.get(e.socket(), "/v1.41/info").body());
            JsonNode rc = info.path("RegistryConfig");
            assertThat(rc.path("Mirrors").toString()).isEqualTo("[\"http://127.0.0.1:5000\",\"http://127.0.0.1:6000\"]");
            assertThat(rc.path("IndexConfigs").path("reg.lan:5000").path("Secure").asBoolean(true)).isFalse();
            assertThat(info.path("Images").asInt()).isZero();
        }
    }

    @Test
    void badFileStopsTheStartWithWhereAndWhat() throws IOException {
        Files.writeString(root.resolve("engine.json"), "{\"registry-mirrors\": [\"127.0.0.1:5000\"]}");
        assertThatThrownBy(() -> Engine.start(config(RegistrySettings.NONE)))
                .isInstanceOf(EngineException.class)
                .hasMessageContaining("engine.json").hasMessageContaining("needs a scheme");
        assertThat(root.resolve("e.sock")).doesNotExist();
    }
}
