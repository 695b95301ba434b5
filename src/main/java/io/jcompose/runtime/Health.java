package io.jcompose.runtime;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Health of a container with a health check.
 *
 * @param status        {@code starting}, {@code healthy} or {@code unhealthy}
 * @param failingStreak consecutive failed probes
 * @param log           the most recent probe results, oldest first
 */
public record Health(String status, int failingStreak, List<Probe> log) {
    public Health {
        status = status == null ? "" : status;
        log = List.copyOf(log == null ? List.of() : log);
    }

    public boolean isHealthy() {
        return "healthy".equals(status);
    }

    public boolean isUnhealthy() {
        return "unhealthy".equals(status);
    }

    /** The last probe, for messages like "db is unhealthy: pg_isready: no response". */
    public Optional<Probe> last() {
        return log.isEmpty() ? Optional.empty() : Optional.of(log.get(log.size() - 1));
    }

    /** The output of the last probe, trimmed; empty if none. */
    public String lastOutput() {
        return last().map(p -> p.output().strip()).orElse("");
    }

    /** One probe run. */
    public record Probe(Instant start, Instant end, int exitCode, String output) {
        public Probe {
            output = output == null ? "" : output;
        }
    }
}
