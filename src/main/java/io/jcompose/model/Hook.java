package io.jcompose.model;

import java.util.List;
import java.util.Optional;
import java.util.SortedMap;

/** A {@code post_start} or {@code pre_stop} command, run inside the container. Empty optionals: the container's own. */
public record Hook(List<String> command, Optional<String> user, boolean privileged, Optional<String> workingDir,
                   SortedMap<String, String> environment) {
    public Hook {
        command = List.copyOf(command);
        if (command.isEmpty()) throw new IllegalArgumentException("a hook needs a command");
        Copies.opt(user);
        Copies.opt(workingDir);
        environment = Copies.sorted(environment);
    }
}
