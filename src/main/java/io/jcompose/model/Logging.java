package io.jcompose.model;

import java.util.Optional;
import java.util.SortedMap;

/** A service's log driver; empty driver: the engine's default. */
public record Logging(Optional<String> driver, SortedMap<String, String> options) {
    public Logging {
        Copies.opt(driver);
        options = Copies.sorted(options);
    }
}
