package io.jcompose.runtime;

import java.time.Instant;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A container as listed (cheaper than inspect).
 *
 * @param name   primary name without the leading slash
 * @param state  e.g. {@code running}, {@code exited}
 * @param status human text, e.g. {@code Up 3 minutes (healthy)}
 */
public record ContainerSummary(String id, String name, String image, String imageId, SortedMap<String, String> labels,
                               String state, String status, Instant created) {
    public ContainerSummary {
        labels = new TreeMap<>(labels == null ? Map.of() : labels);
    }
}
