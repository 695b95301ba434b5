package io.jcompose.runtime;

import java.time.Instant;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/** A volume as the engine reports it; {@code created} may be null if the engine does not say. */
public record VolumeInfo(String name, String driver, String mountpoint, SortedMap<String, String> labels,
                         SortedMap<String, String> options, String scope, Instant created) {
    public VolumeInfo {
        labels = new TreeMap<>(labels == null ? Map.of() : labels);
        options = new TreeMap<>(options == null ? Map.of() : options);
    }
}
