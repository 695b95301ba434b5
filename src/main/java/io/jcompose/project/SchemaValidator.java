package io.jcompose.project;

/**
 * Stage 3: one file's tree (interpolated, typed) against our Compose JSON Schema ({@code schema/compose-spec.json}),
 * errors mapped back to {@code file:line:col} and the spec path.
 */
public final class SchemaValidator {
    /** Throws {@link ComposeFileException} for the first violation in document order. */
    public void validate(Node fileTree) {
        throw new UnsupportedOperationException("SchemaValidator: being implemented (loader-schema)");
    }
}
