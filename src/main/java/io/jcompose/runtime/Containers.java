package io.jcompose.runtime;

import java.time.Duration;
import java.util.List;

/**
 * Container life cycle. A container is named by its id, a unique id prefix, or its name.
 * Every method fails with NOT_FOUND if the container does not exist, unless it says otherwise.
 */
public interface Containers {
    /**
     * Creates a container and attaches it to every network in {@code spec.networks()}; returns its id.
     * Fails with CONFLICT if the name is taken, NOT_FOUND if the image (or a network) is missing: pull first.
     */
    String create(ContainerSpec spec);

    /** Starts a created or stopped container; starting a running container is a no-op. */
    void start(String container);

    /**
     * Sends the stop signal and, after {@code timeout} (null: the container's own stop timeout), SIGKILL.
     * Stopping a stopped container is a no-op.
     */
    void stop(String container, Duration timeout);

    /** Sends a signal ({@code "KILL"}, {@code "SIGTERM"}, {@code "HUP"}, …). Fails with CONFLICT if not running. */
    void kill(String container, String signal);

    /** Restarts: stop (with timeout) then start. */
    void restart(String container, Duration timeout);

    /** Freezes all processes; fails with CONFLICT if not running or already paused. */
    void pause(String container);

    /** Thaws a paused container; fails with CONFLICT if not paused. */
    void unpause(String container);

    /** Renames; fails with CONFLICT if the new name is taken. */
    void rename(String container, String newName);

    /**
     * Removes a container. Without {@code force}, fails with CONFLICT if it is running; with it, kills first.
     * {@code volumes}: also remove its anonymous volumes. Fails with NOT_FOUND if absent.
     */
    void remove(String container, boolean force, boolean volumes);

    ContainerInfo inspect(String container);

    /**
     * Lists containers whose labels match every filter ({@code "key"}: label present, {@code "key=value"}: equal).
     * {@code all}: include stopped containers. Never fails with NOT_FOUND. Sorted by name.
     */
    List<ContainerSummary> list(List<String> labelFilters, boolean all);

    /**
     * Reads logs. Without {@code follow} the feed ends at the current end of the log; with it, when the
     * container stops or the feed is closed.
     */
    Feed<LogFrame> logs(String container, LogOptions options);

    /**
     * Runs a command in a running container without stdin, waits for it to end and returns its output.
     * Fails with CONFLICT if the container is not running.
     */
    ExecResult exec(String container, ExecSpec spec);

    /** Blocks until the condition holds; returns the exit code (for REMOVED, the last exit code). */
    int wait(String container, WaitCondition condition);
}
