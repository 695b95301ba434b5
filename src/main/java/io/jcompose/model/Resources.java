package io.jcompose.model;

import java.util.Optional;

/**
 * CPU, memory and process limits (or reservations), merged from {@code deploy.resources.*} and the service-level
 * shortcuts ({@code cpus}, {@code mem_limit}, {@code mem_reservation}, {@code pids_limit}, {@code memswap_limit}).
 * Empty: no limit.
 *
 * @param cpus        fractional CPUs ({@code 0.5})
 * @param memoryBytes memory in bytes
 * @param memorySwapBytes memory + swap in bytes; -1 unlimited swap (limits only)
 */
public record Resources(Optional<Double> cpus, Optional<Long> memoryBytes, Optional<Long> memorySwapBytes, Optional<Long> pids) {
    public Resources {
        Copies.opt(cpus);
        Copies.opt(memoryBytes);
        Copies.opt(memorySwapBytes);
        Copies.opt(pids);
        if (cpus.isPresent() && cpus.get() < 0) throw new IllegalArgumentException("cpus must be >= 0, got " + cpus.get());
    }

    public static Resources none() {
        return new Resources(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }
}
