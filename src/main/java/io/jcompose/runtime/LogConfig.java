package io.jcompose.runtime;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/** Log driver and its options; empty driver: engine default. */
public record LogConfig(String driver, SortedMap<String, String> options) {
    public static final LogConfig DEFAULT = new LogConfig("", Map.of());

    public LogConfig(String driver, Map<String, String> options) {
        this(driver, new TreeMap<>(options));
    }

    public LogConfig {
        driver = driver == null ? "" : driver;
        options = new TreeMap<>(options == null ? Map.of() : options);
    }
}
