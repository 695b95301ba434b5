package io.jcompose.engine.container;

import java.time.Duration;

/**
 * Docker's restart policies after an exit: {@code always} and {@code unless-stopped} restart unless stopped
 * through the API; {@code on-failure[:N]} restarts on a non-zero code, at most N times (0: no limit). The delay
 * doubles from 100 ms per consecutive restart, capped at 1 minute, and resets once a run lasted 10 s (Docker's
 * back-off).
 */
final class RestartPolicies {
    private RestartPolicies() {}

    static boolean shouldRestart(ContainerSpec.RestartPolicy p, int exitCode, int restarts, boolean manuallyStopped) {
        if (manuallyStopped) return false;
        return switch (p.name()) {
            case "always", "unless-stopped" -> true;
            case "on-failure" -> exitCode != 0 && (p.maximumRetryCount() <= 0 || restarts < p.maximumRetryCount());
            default -> false;
        };
    }

    static Duration delay(int restarts, Duration lastRun) {
        if (lastRun.compareTo(Duration.ofSeconds(10)) >= 0) return Duration.ofMillis(100);
        long ms = 100L << Math.min(restarts, 10);
        return Duration.ofMillis(Math.min(ms, 60_000));
    }

    static void afterExit(ContainerService s, ContainerRecord r) {
        if (s.isClosed()) return;
        if (Boolean.TRUE.equals(r.spec().hostConfig().autoRemove()) && !shouldRestart(r.spec().hostConfig().restartPolicy(),
                r.state().exitCode(), r.restartCount(), r.manuallyStopped())) {
            s.scheduler.execute(() -> ContainerService.quietly(() -> s.remove(r.id(), true, true), "auto-remove " + r.id()));
            return;
        }
        if (!shouldRestart(r.spec().hostConfig().restartPolicy(), r.state().exitCode(), r.restartCount(), r.manuallyStopped())) return;
        Duration ran;
        try {
            ran = Duration.between(java.time.Instant.parse(r.state().startedAt()), java.time.Instant.parse(r.state().finishedAt()));
        } catch (RuntimeException e) {
            ran = Duration.ZERO;
        }
        s.scheduleRestart(r.id(), delay(r.restartCount(), ran));
    }
}
