package io.jcompose.engine.api;

import java.nio.file.Path;
import java.util.List;

/**
 * What the system routes say about this engine.
 *
 * @param id      the engine's persistent ID (/info's ID), kept in the state root
 * @param name    the host name (/info's Name)
 * @param version the jcompose version (ServerVersion, /version's Version)
 * @param rootDir the state root (DockerRootDir)
 * @param rootId  the short id of the state root that host-global names carry (bridges, chains, netns)
 * @param debug   whether the engine logs at debug level (/info's Debug)
 * @param labels  /info's Labels ("key=value")
 */
public record EngineIdentity(String id, String name, String version, Path rootDir, String rootId, boolean debug,
                             List<String> labels) {
    public EngineIdentity {
        labels = List.copyOf(labels);
    }
}
