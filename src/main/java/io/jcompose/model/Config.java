package io.jcompose.model;

import java.util.Optional;
import java.util.SortedMap;

/**
 * A project config. Exactly one source is set unless {@code external}: {@code file} (absolute), {@code environment}
 * (a variable's name) or {@code content} (inline text).
 *
 * @param name the engine's name ({@code <project>_<key>} unless {@code name:})
 */
public record Config(String key, String name, Optional<String> file, Optional<String> environment, Optional<String> content,
                     boolean external, SortedMap<String, String> labels, Optional<String> templateDriver,
                     SortedMap<String, String> extensions) {
    public Config {
        key = Copies.name("config", key);
        name = Copies.name("config", name);
        Copies.opt(file);
        Copies.opt(environment);
        Copies.opt(content);
        labels = Copies.sorted(labels);
        Copies.opt(templateDriver);
        extensions = Copies.sorted(extensions);
    }
}
