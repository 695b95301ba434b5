package io.jcompose.runtime;

/** What the engine says about its version; {@code apiVersion} is the highest it supports. */
public record VersionInfo(String version, String apiVersion, String minApiVersion, String os, String arch,
                          String kernelVersion) {
    public VersionInfo {
        version = nz(version);
        apiVersion = nz(apiVersion);
        minApiVersion = nz(minApiVersion);
        os = nz(os);
        arch = nz(arch);
        kernelVersion = nz(kernelVersion);
    }

    static String nz(String s) {
        return s == null ? "" : s;
    }
}
