package io.jcompose.runtime;

import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A command to run in a running container.
 *
 * @param user       empty: the container's user
 * @param workingDir empty: the container's working directory
 * @param tty        allocate a TTY (output then arrives as one STDOUT stream)
 */
public record ExecSpec(List<String> command, SortedMap<String, String> env, String user, String workingDir,
                       boolean tty, boolean privileged) {
    public ExecSpec {
        command = List.copyOf(command);
        if (command.isEmpty()) throw new IllegalArgumentException("exec needs a command");
        env = new TreeMap<>(env == null ? Map.of() : env);
        user = user == null ? "" : user;
        workingDir = workingDir == null ? "" : workingDir;
    }

    public static ExecSpec of(String... command) {
        return new ExecSpec(List.of(command), null, "", "", false, false);
    }
}
