package io.jcompose.runtime;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/** A volume to create; empty driver: {@code local}. */
public record VolumeSpec(String name, String driver, SortedMap<String, String> driverOptions,
                         SortedMap<String, String> labels) {
    public VolumeSpec {
        if (name == null || name.isEmpty()) throw new IllegalArgumentException("volume needs a name");
        driver = driver == null ? "" : driver;
        driverOptions = new TreeMap<>(driverOptions == null ? Map.of() : driverOptions);
        labels = new TreeMap<>(labels == null ? Map.of() : labels);
    }

    public static VolumeSpec of(String name, Map<String, String> labels) {
        return new VolumeSpec(name, "", null, new TreeMap<>(labels));
    }
}
