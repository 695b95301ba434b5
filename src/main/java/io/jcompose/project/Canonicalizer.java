package io.jcompose.project;

import java.util.function.Consumer;

/**
 * Stage 6: every short syntax expanded to the long one (ports, volumes, depends_on, networks, environment,
 * build, durations …), defaults applied (default network, {@code <project>_<name>} resource names, external
 * names kept), relative paths resolved against the project directory, env_file read into environment,
 * implicit dependencies recorded. The output is docker compose's canonical form.
 */
public final class Canonicalizer {
    public Node canonicalize(Node merged, CanonicalContext context, Consumer<Warning> warnings) {
        throw new UnsupportedOperationException("Canonicalizer: being implemented (loader-merge)");
    }
}
