package io.jcompose.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code "health-timing"} in engine.json: fast (default) or Docker's probe timing, for the benchmark's comparison row. */
class HealthTimingSettingTest {
    @TempDir
    Path root;

    @Test
    void fastUnlessEngineJsonSaysDocker() throws IOException {
        assertThat(Engine.Parts.dockerHealthTiming(root)).as("no engine.json").isFalse();
        Files.writeString(root.resolve("engine.json"), "{\"registry-mirrors\": []}");
        assertThat(Engine.Parts.dockerHealthTiming(root)).as("key absent").isFalse();
        Files.writeString(root.resolve("engine.json"), "{\"health-timing\": \"fast\"}");
        assertThat(Engine.Parts.dockerHealthTiming(root)).isFalse();
        Files.writeString(root.resolve("engine.json"), "{\"health-timing\": \"docker\"}");
        assertThat(Engine.Parts.dockerHealthTiming(root)).isTrue();
    }

    @Test
    void anUnknownValueIsRefusedWithTheFile() throws IOException {
        Files.writeString(root.resolve("engine.json"), "{\"health-timing\": \"slow\"}");
        assertThatThrownBy(() -> Engine.Parts.dockerHealthTiming(root))
                .isInstanceOf(EngineException.class)
                .hasMessage(root.resolve("engine.json") + ": health-timing must be \"fast\" or \"docker\", got \"slow\"");
    }
}
