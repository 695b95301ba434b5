package io.jcompose.runtime;

/**
 * One resource sample of a running container, with the previous CPU sample so a percentage can be computed
 * (Docker's formula: {@code (cpu - preCpu) / (system - preSystem) * onlineCpus * 100}).
 *
 * @param memUsage bytes in use, page cache excluded (as {@code docker stats} shows)
 */
public record ContainerStats(long cpuTotal, long preCpuTotal, long systemCpu, long preSystemCpu, int onlineCpus,
                             long memUsage, long memLimit, long netRx, long netTx, long blockRead, long blockWrite,
                             long pids) {
    public double cpuPercent() {
        long cpu = cpuTotal - preCpuTotal;
        long sys = systemCpu - preSystemCpu;
        return cpu > 0 && sys > 0 ? (double) cpu / sys * Math.max(onlineCpus, 1) * 100.0 : 0.0;
    }

    public double memPercent() {
        return memLimit > 0 ? (double) memUsage / memLimit * 100.0 : 0.0;
    }
}
