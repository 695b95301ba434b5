package io.jcompose.runtime;

import java.time.Instant;
import java.util.Optional;

/**
 * The observed run state of a container.
 *
 * @param status     {@code created}, {@code running}, {@code paused}, {@code restarting}, {@code removing},
 *                   {@code exited} or {@code dead}
 * @param exitCode   the last exit code (meaningful when exited)
 * @param error      the engine's error for a failed start, or empty
 * @param startedAt  null when never started
 * @param finishedAt null when never stopped
 * @param health     empty when the container has no health check
 */
public record ContainerState(String status, boolean running, boolean paused, boolean restarting, boolean oomKilled,
                             boolean dead, int pid, int exitCode, String error, Instant startedAt,
                             Instant finishedAt, Optional<Health> health) {
    public ContainerState {
        status = status == null ? "" : status;
        error = error == null ? "" : error;
        health = health == null ? Optional.empty() : health;
    }
}
