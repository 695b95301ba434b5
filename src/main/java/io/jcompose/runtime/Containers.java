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

    /**
     * Runs a command attached to {@code io} (stdin copied in while it runs, output copied out as it comes) and
     * returns its exit code once it ended and its output is copied. Fails with CONFLICT if the container is not
     * running. The default runs {@link #exec} and copies its output afterwards (no stdin): for runtimes without
     * hijacked streams.
     */
    default int execAttached(String container, ExecSpec spec, Stdio io) {
        ExecResult r = exec(container, spec);
        try {
            io.stdout().write(r.stdout());
            io.stdout().flush();
            io.stderr().write(r.stderr());
            io.stderr().flush();
        } catch (java.io.IOException e) {
            throw new EngineException(EngineException.Category.OTHER, "exec in container " + container + ": cannot copy output: " + e.getMessage());
        }
        return r.exitCode();
    }

    /** Starts a command and returns at once, without its output or exit code ({@code exec -d}). */
    default void execDetached(String container, ExecSpec spec) {
        throw new EngineException(EngineException.Category.INVALID, "detached exec is not supported by this runtime");
    }

    /**
     * Attaches to a container's stdio; call before {@link #start} to miss nothing. {@code tty}: the container was
     * created with a TTY (its output is one raw stream).
     */
    default Attachment attach(String container, Stdio io, boolean tty) {
        throw new EngineException(EngineException.Category.INVALID, "attach is not supported by this runtime");
    }

    /** The container's processes ({@code ps -ef} columns on Docker). Fails with CONFLICT if it is not running. */
    default ProcessList top(String container) {
        throw new EngineException(EngineException.Category.INVALID, "top is not supported by this runtime");
    }

    /** One resource sample (the engine may take a second to have two CPU samples). Fails with CONFLICT if not running. */
    default ContainerStats stats(String container) {
        throw new EngineException(EngineException.Category.INVALID, "stats are not supported by this runtime");
    }

    /**
     * A tar stream of {@code path} in the container (its top entry named after the path's last element); the caller
     * closes it. Fails with NOT_FOUND if the path does not exist.
     */
    default java.io.InputStream archive(String container, String path) {
        throw new EngineException(EngineException.Category.INVALID, "copying files is not supported by this runtime");
    }

    /** Extracts a tar stream into the directory {@code dir} of the container. Fails with NOT_FOUND if it is missing. */
    default void extract(String container, String dir, java.io.InputStream tar) {
        throw new EngineException(EngineException.Category.INVALID, "copying files is not supported by this runtime");
    }

    /** Whether {@code path} in the container is a directory; empty if it does not exist. */
    default java.util.Optional<Boolean> isDirectory(String container, String path) {
        throw new EngineException(EngineException.Category.INVALID, "copying files is not supported by this runtime");
    }
}
