package io.jcompose.engine.container;

import java.util.List;

/**
 * The observed state of a container as Docker reports it (inspect's {@code State}).
 *
 * @param status    created, running, paused, restarting, removing, exited, dead
 * @param pid       the container's init on the host (0 unless running)
 * @param conmonPid its monitor (0 unless running)
 * @param startedAt / finishedAt RFC 3339 with nanoseconds, or Docker's zero time "0001-01-01T00:00:00Z"
 */
public record ContainerState(String status, long pid, long conmonPid, int exitCode, boolean oomKilled, String error,
                             String startedAt, String finishedAt, Health health) {
    public static final String ZERO_TIME = "0001-01-01T00:00:00Z";
    public static final ContainerState CREATED = new ContainerState("created", 0, 0, 0, false, "", ZERO_TIME, ZERO_TIME, null);

    public ContainerState {
        error = error == null ? "" : error;
        startedAt = startedAt == null ? ZERO_TIME : startedAt;
        finishedAt = finishedAt == null ? ZERO_TIME : finishedAt;
    }

    public boolean running() {
        return status.equals("running") || status.equals("paused");
    }

    ContainerState withHealth(Health h) {
        return new ContainerState(status, pid, conmonPid, exitCode, oomKilled, error, startedAt, finishedAt, h);
    }

    /** Health as inspect shows it: status starting/healthy/unhealthy, the failing streak and the last 5 results. */
    public record Health(String status, int failingStreak, List<HealthResult> log) {
        public Health {
            log = List.copyOf(log);
        }
    }

    public record HealthResult(String start, String end, int exitCode, String output) {}
}
