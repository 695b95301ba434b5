package io.jcompose.project;

import io.jcompose.model.Project;

/** Stage 9: the canonical, validated tree to immutable {@code model} records. */
public final class Binder {
    public Project bind(Node canonical) {
        throw new UnsupportedOperationException("Binder: being implemented (loader-schema)");
    }
}
