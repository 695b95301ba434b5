package io.jcompose.project;

import java.util.Optional;
import java.util.function.Function;

/**
 * Stage 2: variable interpolation of values (never keys), per file, before merging; then the type casts Compose
 * applies by path (e.g. {@code deploy.replicas: "${N}"} becomes an integer) so the schema sees typed values.
 * Syntax: {@code $V ${V} ${V:-d} ${V-d} ${V:?e} ${V?e} ${V:+a} ${V+a}}, nesting, {@code $$}.
 * Errors are located: {@code compose.yaml:3:15: services.web.image: invalid interpolation "${TAG"; write a literal $ as $$}.
 */
public final class Interpolator {
    /** Interpolates every scalar value of {@code tree}; {@code env} answers empty for an unset variable. */
    public Node interpolate(Node tree, Function<String, Optional<String>> env) {
        throw new UnsupportedOperationException("Interpolator: being implemented (loader-input)");
    }

    /** Interpolates one string; {@code at}/{@code path} locate errors. Public for env files and tests. */
    public String interpolate(String template, Function<String, Optional<String>> env, Location at, String path) {
        throw new UnsupportedOperationException("Interpolator: being implemented (loader-input)");
    }
}
