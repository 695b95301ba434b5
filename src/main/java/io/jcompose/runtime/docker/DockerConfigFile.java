package io.jcompose.runtime.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.jcompose.runtime.EngineException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;

/** The Docker CLI's config directory ({@code $DOCKER_CONFIG} or {@code ~/.docker}) and its config.json. */
record DockerConfigFile(Path dir, JsonNode json) {
    static DockerConfigFile load(Function<String, String> env, Path home) {
        String override = env.apply("DOCKER_CONFIG");
        Path dir = override != null && !override.isEmpty() ? Path.of(override) : home.resolve(".docker");
        Path file = dir.resolve("config.json");
        if (!Files.isRegularFile(file)) return new DockerConfigFile(dir, MissingNode.getInstance());
        try {
            return new DockerConfigFile(dir, new ObjectMapper().readTree(file.toFile()));
        } catch (IOException e) {
            throw new EngineException(EngineException.Category.INVALID,
                    file + ": cannot read Docker config (" + e.getMessage() + "); fix or move the file",
                    e.getMessage(), e);
        }
    }

    String text(String field) {
        JsonNode n = json.path(field);
        return n.isTextual() ? n.asText() : "";
    }
}
