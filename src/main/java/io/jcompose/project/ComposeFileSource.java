package io.jcompose.project;

import java.nio.file.Path;

/**
 * How {@code include} and {@code extends} read other files, implemented by {@link ProjectLoader}: each answer is
 * read, interpolated, typed and schema-checked, exactly like a top-level file.
 */
public interface ComposeFileSource {
    /** One file as a tree (extends {@code file:}); {@code file} is absolute. */
    Node readFile(Path file);

    /**
     * A whole included project (include's {@code path}, {@code project_directory}, {@code env_file}), loaded with its
     * own project directory and env files, merged and canonical (its relative paths already absolute).
     */
    Node loadIncluded(java.util.List<Path> files, Path projectDirectory, java.util.List<Path> envFiles);
}
