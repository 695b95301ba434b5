package io.jcompose.runtime;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * An image as the engine knows it. Config fields are empty when listed rather than inspected.
 *
 * @param id          content id {@code sha256:…}
 * @param repoTags    {@code name:tag} references
 * @param repoDigests {@code name@sha256:…} references (set for pulled images)
 * @param entrypoint  empty Optional: unknown (listed) or none
 */
public record ImageInfo(String id, List<String> repoTags, List<String> repoDigests, Instant created, long size,
                        SortedMap<String, String> labels, List<String> env, Optional<List<String>> entrypoint,
                        Optional<List<String>> command, String workingDir, String user, List<String> exposedPorts) {
    public ImageInfo {
        repoTags = List.copyOf(repoTags == null ? List.of() : repoTags);
        repoDigests = List.copyOf(repoDigests == null ? List.of() : repoDigests);
        labels = new TreeMap<>(labels == null ? Map.of() : labels);
        env = List.copyOf(env == null ? List.of() : env);
        entrypoint = entrypoint == null ? Optional.empty() : entrypoint.map(List::copyOf);
        command = command == null ? Optional.empty() : command.map(List::copyOf);
        workingDir = workingDir == null ? "" : workingDir;
        user = user == null ? "" : user;
        exposedPorts = List.copyOf(exposedPorts == null ? List.of() : exposedPorts);
    }
}
