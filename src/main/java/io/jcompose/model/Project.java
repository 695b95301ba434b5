package io.jcompose.model;

import java.nio.file.Path;
import java.util.TreeMap;
import java.util.Objects;
import java.util.SortedMap;

/**
 * A loaded Compose project: what the reconciler makes real. Everything is sorted by name so the plan text and
 * config hashes never depend on file order.
 *
 * @param name       the project name (lower case, as Compose normalises it)
 * @param workingDir the project directory (absolute); relative paths of the files were resolved against it
 * @param extensions top-level {@code x-*} keys, each value as compact JSON text with sorted keys
 */
public record Project(String name, Path workingDir, SortedMap<String, Service> services, SortedMap<String, Network> networks,
                      SortedMap<String, Volume> volumes, SortedMap<String, Secret> secrets, SortedMap<String, Config> configs,
                      SortedMap<String, String> extensions) {
    public Project {
        name = Copies.name("project", name);
        Objects.requireNonNull(workingDir, "workingDir");
        services = Copies.sorted(services);
        networks = Copies.sorted(networks);
        volumes = Copies.sorted(volumes);
        secrets = Copies.sorted(secrets);
        configs = Copies.sorted(configs);
        extensions = Copies.sorted(extensions);
    }

    /** A project with only a name (tests, and commands that need no file). */
    public static Project empty(String name, Path workingDir) {
        return new Project(name, workingDir, new TreeMap<>(), new TreeMap<>(), new TreeMap<>(), new TreeMap<>(), new TreeMap<>(), new TreeMap<>());
    }
}
