package io.jcompose.model;

import java.util.Optional;
import java.util.SortedMap;

/**
 * A project secret. Exactly one source is set unless {@code external}: {@code file} (absolute), {@code environment}
 * (a variable's name, read at up time) or {@code content} (inline text).
 *
 * @param name the engine's name ({@code <project>_<key>} unless {@code name:})
 */
public record Secret(String key, String name, Optional<String> file, Optional<String> environment, Optional<String> content,
                     boolean external, SortedMap<String, String> labels, Optional<String> driver,
                     SortedMap<String, String> driverOpts, Optional<String> templateDriver, SortedMap<String, String> extensions) {
    public Secret {
        key = Copies.name("secret", key);
        name = Copies.name("secret", name);
        Copies.opt(file);
        Copies.opt(environment);
        Copies.opt(content);
        labels = Copies.sorted(labels);
        Copies.opt(driver);
        driverOpts = Copies.sorted(driverOpts);
        Copies.opt(templateDriver);
        extensions = Copies.sorted(extensions);
    }
}
