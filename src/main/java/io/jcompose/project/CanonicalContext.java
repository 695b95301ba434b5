package io.jcompose.project;

import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * What canonicalisation needs besides the tree: the project's name and directory, and variables (env_file reads).
 *
 * @param uninterpolated present for {@code --no-interpolate}: a short syntax that cannot be parsed because it still
 *                       holds a {@code ${…}} expression (e.g. a port {@code ${PORT:-8080}:80}) is kept as written, as
 *                       docker compose keeps it, and its spec path is reported here; empty: such a value is an error
 */
public record CanonicalContext(String projectName, Path projectDirectory, Function<String, Optional<String>> env,
                               Optional<Consumer<String>> uninterpolated) {
    public CanonicalContext {
        java.util.Objects.requireNonNull(uninterpolated);
    }

    public CanonicalContext(String projectName, Path projectDirectory, Function<String, Optional<String>> env) {
        this(projectName, projectDirectory, env, Optional.empty());
    }
}
