package io.jcompose.project;

import java.nio.file.Path;
import java.util.Optional;

/**
 * One Compose file to load: {@code name} is how errors print it (the user's spelling for {@code -f}, a path
 * relative to the working directory for discovered files, {@code -} for stdin); {@code path} is absolute, empty
 * for stdin.
 */
record ConfigFile(String name, Optional<Path> path) {
    public ConfigFile {
        if (name == null || name.isEmpty()) throw new IllegalArgumentException("name must not be empty");
        path = path.map(p -> p.toAbsolutePath().normalize());
    }

    public boolean isStdin() {
        return path.isEmpty();
    }
}
