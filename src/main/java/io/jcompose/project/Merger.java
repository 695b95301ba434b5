package io.jcompose.project;

import java.util.List;

/**
 * Stage 5: {@code -f} files merged in order with the Compose merge rules (mappings merge; {@code command},
 * {@code entrypoint}, {@code healthcheck.test} replace; ports, volumes, … de-duplicated by key; {@code !reset},
 * {@code !override}). The result carries no merge tags.
 */
public final class Merger {
    public Node merge(List<Node> files) {
        throw new UnsupportedOperationException("Merger: being implemented (loader-merge)");
    }
}
