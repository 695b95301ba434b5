package io.jcompose.project;

import java.util.function.Consumer;

/**
 * Stage 8: references (services, networks, volumes, secrets, configs), dependency cycles printed
 * {@code a -> b -> a} in a stable order, names, port/duration/byte syntax. Keys jcompose does not support yet
 * produce a located warning (never silently dropped).
 */
public final class SemanticValidator {
    public void validate(Node canonical, Consumer<Warning> warnings) {
        throw new UnsupportedOperationException("SemanticValidator: being implemented (loader-schema)");
    }
}
