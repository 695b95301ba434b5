package io.jcompose.model;

import java.util.Optional;
import java.util.SortedMap;

/**
 * A project (named) volume.
 *
 * @param key      the name in the Compose file
 * @param name     the engine's name: {@code <project>_<key>} unless {@code name:} or external says otherwise
 * @param driver   empty: {@code local}
 * @param external created outside the project: never created or removed, must exist
 */
public record Volume(String key, String name, Optional<String> driver, SortedMap<String, String> driverOpts, boolean external,
                     SortedMap<String, String> labels, SortedMap<String, String> extensions) {
    public Volume {
        key = Copies.name("volume", key);
        name = Copies.name("volume", name);
        Copies.opt(driver);
        driverOpts = Copies.sorted(driverOpts);
        labels = Copies.sorted(labels);
        extensions = Copies.sorted(extensions);
    }
}
