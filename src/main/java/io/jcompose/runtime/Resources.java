package io.jcompose.runtime;

/**
 * Resource limits; 0 (or empty) means "not set: engine default".
 *
 * @param memoryBytes       hard memory limit
 * @param memorySwapBytes   memory + swap; -1: unlimited swap
 * @param memoryReservation soft limit
 * @param nanoCpus          CPU quota in 1e-9 CPUs ({@code cpus: 1.5} → 1_500_000_000)
 * @param cpuShares         relative weight
 * @param cpuQuota          CFS quota (µs per period)
 * @param cpuPeriod         CFS period (µs)
 * @param cpusetCpus        e.g. {@code 0-1}
 * @param pidsLimit         max processes; 0: unset, -1: unlimited
 * @param oomKillDisable    disable the OOM killer
 * @param oomScoreAdj       OOM score adjustment
 * @param blkioWeight       10..1000
 */
public record Resources(long memoryBytes, long memorySwapBytes, long memoryReservation, long nanoCpus,
                        long cpuShares, long cpuQuota, long cpuPeriod, String cpusetCpus, long pidsLimit,
                        boolean oomKillDisable, int oomScoreAdj, int blkioWeight) {
    public static final Resources NONE = new Resources(0, 0, 0, 0, 0, 0, 0, "", 0, false, 0, 0);

    public Resources {
        cpusetCpus = cpusetCpus == null ? "" : cpusetCpus;
        if (memoryBytes < 0) throw new IllegalArgumentException("memory limit must be >= 0, got " + memoryBytes);
    }
}
