package io.jcompose.runtime;

/** A host device made available in the container; permissions like {@code rwm}. */
public record DeviceMapping(String hostPath, String containerPath, String permissions) {
    public DeviceMapping {
        if (hostPath == null || hostPath.isEmpty()) throw new IllegalArgumentException("device needs a host path");
        containerPath = containerPath == null || containerPath.isEmpty() ? hostPath : containerPath;
        permissions = permissions == null || permissions.isEmpty() ? "rwm" : permissions;
    }
}
