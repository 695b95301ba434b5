package io.jcompose.engine.container;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The engine's health probes (Docker's HEALTHCHECK): {@code CMD} runs its arguments, {@code CMD-SHELL} runs
 * {@code /bin/sh -c}, {@code NONE} (or no test) disables. A probe passes with exit 0; {@code retries} consecutive
 * failures make the container unhealthy, except during {@code start_period}.
 *
 * <p><b>Fast first probe</b> (our default): the first probe runs right after start and, until the first success,
 * again after 50 ms, 100 ms, 200 ms … doubling up to {@code interval}; failures in this phase do not count toward
 * retries, so a slow service is never marked unhealthy early, and a dependent service can start milliseconds after
 * its dependency is ready instead of a whole interval. With {@code dockerTiming} the first probe waits
 * {@code interval} as in Docker. The last 5 results are kept; transitions publish {@code health_status: …}.
 */
final class HealthMonitor {
    static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    static final int DEFAULT_RETRIES = 3;
    static final Duration FAST_START = Duration.ofMillis(50);

    private final ContainerService containers;
    private final boolean dockerTiming;
    /** Generation per container: a restart or removal makes older probe loops stop. */
    private final Map<String, Long> generation = new ConcurrentHashMap<>();
    private final AtomicLong next = new AtomicLong();

    HealthMonitor(ContainerService containers, boolean dockerTiming) {
        this.containers = containers;
        this.dockerTiming = dockerTiming;
    }

    static boolean enabled(ContainerSpec.HealthConfig hc) {
        return hc != null && !hc.test().isEmpty() && !hc.test().get(0).equals("NONE");
    }

    private static Duration nanos(Long v, Duration dflt) {
        return v == null || v <= 0 ? dflt : Duration.ofNanos(v);
    }

    void schedule(String id, Duration ignored) {
        ContainerRecord r = containers.record(id);
        if (r == null || !enabled(r.spec().healthcheck())) return;
        long gen = next.incrementAndGet();
        generation.put(id, gen);
        Duration interval = nanos(r.spec().healthcheck().interval(), DEFAULT_INTERVAL);
        // Docker's timing: the first probe after one interval, or after start_interval (API 1.44) when there is a
        // start period to run it in.
        ContainerSpec.HealthConfig hc = r.spec().healthcheck();
        boolean startPace = hc.startInterval() != null && hc.startInterval() > 0 && hc.startPeriod() != null && hc.startPeriod() > 0;
        Duration first = !dockerTiming ? Duration.ZERO : startPace ? Duration.ofNanos(hc.startInterval()) : interval;
        boolean fast = !dockerTiming && !"healthy".equals(r.state().health() == null ? "" : r.state().health().status());
        submit(id, gen, first, fast ? FAST_START : null);
    }

    void cancel(String id) {
        generation.remove(id);
    }

    private void submit(String id, long gen, Duration delay, Duration fastNext) {
        if (containers.isClosed()) return;
        try {
            containers.scheduler.schedule(() -> probe(id, gen, fastNext), delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // shutting down
        }
    }

    private void probe(String id, long gen, Duration fastNext) {
        if (!Long.valueOf(gen).equals(generation.get(id))) return;
        ContainerRecord r = containers.record(id);
        if (r == null || !r.state().status().equals("running")) return;
        ContainerSpec.HealthConfig hc = r.spec().healthcheck();
        List<String> cmd = switch (hc.test().get(0)) {
            case "CMD" -> hc.test().subList(1, hc.test().size());
            case "CMD-SHELL" -> List.of("/bin/sh", "-c", String.join(" ", hc.test().subList(1, hc.test().size())));
            default -> hc.test();
        };
        Duration interval = nanos(hc.interval(), DEFAULT_INTERVAL);
        Duration timeout = nanos(hc.timeout(), DEFAULT_TIMEOUT);
        int retries = hc.retries() == null || hc.retries() <= 0 ? DEFAULT_RETRIES : hc.retries();
        Duration startPeriod = nanos(hc.startPeriod(), Duration.ZERO);
        Instant start = Instant.now();
        ExecService.Result res;
        try {
            res = containers.execs.probe(r, cmd, timeout.toMillis());
        } catch (Exception e) {
            res = new ExecService.Result(-1, "probe failed: " + e.getMessage());
        }
        Instant end = Instant.now();
        ExecService.Result result = res;
        String[] transition = new String[1];
        String[] newStatus = new String[1];
        boolean[] inStart = new boolean[1];
        synchronized (containers.lock(id)) {
            if (!Long.valueOf(gen).equals(generation.get(id))) return;
            ContainerRecord cur = containers.record(id);
            if (cur == null || !cur.state().status().equals("running")) return;
            ContainerState.Health h = cur.state().health() != null ? cur.state().health()
                    : new ContainerState.Health("starting", 0, List.of());
            List<ContainerState.HealthResult> log = new ArrayList<>(h.log());
            log.add(new ContainerState.HealthResult(ContainerService.RFC3339.format(start), ContainerService.RFC3339.format(end),
                    result.code(), result.output()));
            while (log.size() > 5) log.remove(0);
            String status = h.status();
            int streak = h.failingStreak();
            boolean inStartPeriod;
            try {
                inStartPeriod = Instant.parse(cur.state().startedAt()).plus(startPeriod).isAfter(end);
            } catch (RuntimeException e) {
                inStartPeriod = false;
            }
            if (result.code() == 0) {
                status = "healthy";
                streak = 0;
            } else if (fastNext == null && !inStartPeriod) {
                streak++;
                if (streak >= retries) status = "unhealthy";
            }
            if (!status.equals(h.status())) transition[0] = status;
            inStart[0] = inStartPeriod;
            newStatus[0] = status;
            ContainerState.Health nh = new ContainerState.Health(status, streak, log);
            containers.updateState(id, s -> s.withHealth(nh));
        }
        if (transition[0] != null) {
            containers.publish(containers.record(id), "health_status: " + transition[0]);
        }
        if (result.code() != 0 && fastNext != null) {
            // Fast phase: back off toward interval; failures here do not count.
            Duration after = fastNext.compareTo(interval) >= 0 ? interval : fastNext;
            Duration doubled = fastNext.multipliedBy(2);
            submit(id, gen, after, after.equals(interval) ? null : doubled);
        } else {
            // start_interval (API 1.44): probes during the start period run at that pace instead of interval.
            Duration startInterval = nanos(hc.startInterval(), Duration.ofSeconds(5));
            boolean starting = !"healthy".equals(newStatus[0]) && inStart[0] && hc.startInterval() != null && hc.startInterval() > 0;
            submit(id, gen, starting ? startInterval : interval, null);
        }
    }
}
