package io.jcompose.engine.container;

import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a container inherits from its image (the OCI image config's {@code config} section): each field is the
 * default the create body may override. Empty strings and lists mean "the image says nothing".
 */
public record ImageConfig(String id, List<String> env, List<String> cmd, List<String> entrypoint, String workingDir,
                          String user, ContainerSpec.HealthConfig healthcheck, String stopSignal,
                          SortedMap<String, Object> exposedPorts, SortedMap<String, Object> volumes,
                          SortedMap<String, String> labels) {
    public ImageConfig {
        id = id == null ? "" : id;
        env = env == null ? List.of() : List.copyOf(env);
        cmd = cmd == null ? List.of() : List.copyOf(cmd);
        entrypoint = entrypoint == null ? List.of() : List.copyOf(entrypoint);
        workingDir = workingDir == null ? "" : workingDir;
        user = user == null ? "" : user;
        stopSignal = stopSignal == null ? "" : stopSignal;
        exposedPorts = exposedPorts == null ? new TreeMap<>() : new TreeMap<>(exposedPorts);
        volumes = volumes == null ? new TreeMap<>() : new TreeMap<>(volumes);
        labels = labels == null ? new TreeMap<>() : new TreeMap<>(labels);
    }

    public static final ImageConfig EMPTY = new ImageConfig("", null, null, null, null, null, null, null, null, null, null);
}
