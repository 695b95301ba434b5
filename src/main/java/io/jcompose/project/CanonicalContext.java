package io.jcompose.project;

import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;

/** What canonicalisation needs besides the tree: the project's name and directory, and variables (env_file reads). */
public record CanonicalContext(String projectName, Path projectDirectory, Function<String, Optional<String>> env) {}
