package io.jcompose.project;

/**
 * The loader: runs the stages in order and is the {@link ComposeFileSource} for include/extends.
 * <pre>
 * options → files (discovery) → environment (.env, --env-file) → per file:
 *   YamlReader → Interpolator → SchemaValidator → IncludeResolver → ExtendsResolver
 * → Merger → Canonicalizer → Profiles → SemanticValidator → Binder
 * </pre>
 * Missing files are {@link ComposeFileNotFoundException}s (exit 14); everything else located
 * {@link ComposeFileException}s (exit 15).
 */
public final class ProjectLoader {
    public LoadedProject load(ProjectOptions options) {
        throw new UnsupportedOperationException("ProjectLoader: being implemented (loader-input)");
    }
}
