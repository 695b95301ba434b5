package io.jcompose.runtime.docker;

import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;

/**
 * Settings of the Docker CLI's {@code config.json} ({@code $DOCKER_CONFIG} or {@code ~/.docker}) that docker compose
 * honours outside the engine connection, e.g. {@code psFormat} for {@code ps}.
 */
public final class DockerCliConfig {
    private DockerCliConfig() {}

    /** A top-level string setting; empty when the file or the key is missing (an unreadable file is an error). */
    public static Optional<String> text(Function<String, String> env, Path home, String key) {
        String v = DockerConfigFile.load(env, home).text(key);
        return v.isEmpty() ? Optional.empty() : Optional.of(v);
    }
}
