package io.jcompose.model;

import java.util.List;
import java.util.Optional;
import java.util.SortedMap;

/**
 * Kernel knobs a service may set that the engine passes through to the container's cgroup and runtime
 * ({@code cpu_shares}, {@code cpu_quota}, {@code cpu_period}, {@code cpuset}, {@code mem_swappiness},
 * {@code oom_kill_disable}, {@code device_cgroup_rules}, {@code storage_opt}). Empty: the engine default.
 *
 * @param cpuQuota  microseconds of CPU time per {@code cpuPeriod}
 * @param cpuset    CPUs allowed ({@code 0-3}, {@code 0,1})
 */
public record Tuning(Optional<Long> cpuShares, Optional<Long> cpuQuota, Optional<Long> cpuPeriod, Optional<String> cpuset,
                     Optional<Integer> memSwappiness, boolean oomKillDisable, List<String> deviceCgroupRules,
                     SortedMap<String, String> storageOpt) {
    public Tuning {
        Copies.opt(cpuShares);
        Copies.opt(cpuQuota);
        Copies.opt(cpuPeriod);
        Copies.opt(cpuset);
        Copies.opt(memSwappiness);
        if (memSwappiness.isPresent() && (memSwappiness.get() < 0 || memSwappiness.get() > 100)) {
            throw new IllegalArgumentException("mem_swappiness must be 0-100, got " + memSwappiness.get());
        }
        deviceCgroupRules = List.copyOf(deviceCgroupRules);
        storageOpt = Copies.sorted(storageOpt);
    }

    public static Tuning none() {
        return new Tuning(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), false,
                List.of(), java.util.Collections.emptySortedMap());
    }
}
