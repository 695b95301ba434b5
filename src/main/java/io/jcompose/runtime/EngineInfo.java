package io.jcompose.runtime;

/** Engine-wide facts used by the composer and in diagnostics. Missing numbers are 0, missing strings empty. */
public record EngineInfo(String id, String name, String serverVersion, int containers, int containersRunning,
                         int images, String storageDriver, String cgroupVersion, String operatingSystem,
                         int cpus, long memoryBytes) {
    public EngineInfo {
        id = VersionInfo.nz(id);
        name = VersionInfo.nz(name);
        serverVersion = VersionInfo.nz(serverVersion);
        storageDriver = VersionInfo.nz(storageDriver);
        cgroupVersion = VersionInfo.nz(cgroupVersion);
        operatingSystem = VersionInfo.nz(operatingSystem);
    }
}
